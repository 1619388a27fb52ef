/** An error answer of the Connect REST-JSON API: the status, the error type header and `{"Message": ...}`. */
export class ConnectApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidRequest = (message: string): ConnectApiError =>
  new ConnectApiError(400, 'InvalidRequestException', message);
export const invalidParameter = (message: string): ConnectApiError =>
  new ConnectApiError(400, 'InvalidParameterException', message);
