import type { MetricsRegistry } from '../../../common/observability/metrics';
import { EmfDocumentBuilder } from '../../../common/observability/emf';

export interface EmfPublisherOptions {
  registry: MetricsRegistry;
  intervalMillis: number;
  /** Defaults to stderr: stdout is the MultiLang protocol in KCL mode. */
  write?: (line: string) => void;
  dimensions?: Record<string, string>;
}

/** Periodically publishes the registry as EMF lines; `stop()` publishes the last interval. */
export class EmfPublisher {
  private readonly builder: EmfDocumentBuilder;
  private readonly timer: NodeJS.Timeout;
  private readonly write: (line: string) => void;

  constructor(private readonly options: EmfPublisherOptions) {
    this.builder = new EmfDocumentBuilder(undefined, options.dimensions);
    this.write = options.write ?? ((line) => process.stderr.write(line + '\n'));
    this.timer = setInterval(() => this.publish(), options.intervalMillis);
    this.timer.unref();
  }

  publish(): void {
    for (const doc of this.builder.build(this.options.registry.snapshot())) this.write(JSON.stringify(doc));
  }

  stop(): void {
    clearInterval(this.timer);
    this.publish();
  }
}
