import type { ContactTraceRecord, StreamAgentEvent } from '../connectShapes';

/** Where agent events go: a Kinesis stream (real or local) or a JSON-lines file. */
export interface AgentEventSink {
  /** `json` is the compact JSON the sink writes (one Kinesis record or one line). May wait for back-pressure. */
  write(event: StreamAgentEvent, json: string): Promise<void>;
  /** Sends everything buffered. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Where CTRs go, Firehose-style: several records concatenated (no delimiter) per object. */
export interface CtrSink {
  write(record: ContactTraceRecord, json: string, atMillis: number): Promise<void>;
  /** Simulated time has reached `nowMillis`: deliver a buffer whose interval has passed. */
  tick?(nowMillis: number): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}
