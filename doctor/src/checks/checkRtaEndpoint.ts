import type { RtaConfig } from '../../../common/config/rtaConfig';
import { isLoopbackUrl } from '../../../common/config/env';
import { RtaRejectedError } from '../../../consumer/src/delivery/errors';
import { RtaClient } from '../../../consumer/src/delivery/RtaClient';
import { type CheckResult, fail, pass } from '../CheckResult';

const TLS_ERRORS =
  /CERT_|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|HOSTNAME_MISMATCH|certificate|altnames|EPROTO|SSL/i;
const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT|ECONNABORTED|timeout/i;

/**
 * The Teleopti RTA endpoint: reachable, TLS valid, key accepted. Uses RtaClient.probe(): a non-snapshot batch with
 * an empty States array authenticates without changing any agent's state (a snapshot, even empty, would log agents
 * out, so doctor never sends one).
 */
export async function checkRtaEndpoint(rta: RtaConfig, client = new RtaClient(rta)): Promise<CheckResult> {
  const where = `${rta.url}/Rta/State/Batch`;
  try {
    await client.probe();
    const tls = rta.url.startsWith('https://')
      ? 'TLS certificate valid, '
      : isLoopbackUrl(rta.url)
        ? 'plain HTTP on loopback, '
        : '';
    return pass(
      'wfm rta endpoint',
      `${where} reachable, ${tls}key accepted for source ${rta.sourceId} (empty non-snapshot batch; no agent state changed)`,
    );
  } catch (error) {
    if (error instanceof RtaRejectedError) {
      const keyProblem = /authentication key|tenant/i.test(error.teleoptiMessage);
      return fail(
        'wfm rta endpoint',
        `${where} rejected the request: HTTP ${error.status} "${error.teleoptiMessage}"`,
        keyProblem
          ? 'set WFM_AUTH_KEY to the RTA key of the tenant (Teleopti: Options > RTA); the default key is refused with several tenants'
          : error.status === 404
            ? 'WFM_RTA_URL must be the base URL under which /Rta/State/Batch is served (e.g. https://host/TeleoptiWFM/Web)'
            : 'check WFM_RTA_URL, WFM_SOURCE_ID and the message above',
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    if (TLS_ERRORS.test(message))
      return fail(
        'wfm rta endpoint',
        `${where}: TLS certificate not valid: ${message}`,
        'install a certificate that is valid for the host and trusted by Node (NODE_EXTRA_CA_CERTS for a private CA); verification is never turned off',
      );
    if (UNREACHABLE.test(message))
      return fail(
        'wfm rta endpoint',
        `${where} unreachable: ${message}`,
        'check WFM_RTA_URL, DNS, and that the firewall/security group lets this task reach WFM on that port',
      );
    return fail(
      'wfm rta endpoint',
      `${where}: ${message}`,
      'WFM answered with an error; check its logs (a 500 can mean its state queue is flooded) and WFM_RTA_URL',
    );
  }
}
