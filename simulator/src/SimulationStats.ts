import type { ContactTraceRecord, StreamAgentEvent } from './connectShapes';
import type { SimulatedOutput } from './types';

export interface StatsSummary {
  agents: number;
  agentEvents: number;
  eventsByType: Record<string, number>;
  staffedAgentHours: number;
  eventsPerAgentHour: number;
  ctrs: number;
  /** `<CHANNEL> <InitiationMethod>` → count of CTRs. */
  contactMix: Record<string, number>;
  answered: number;
  abandoned: number;
  missedOffers: number;
  transfersOut: number;
  /** ACW seconds / (talk + hold + ACW) seconds over answered contacts. */
  acwShareOfHandleTime: number;
  /** ACW seconds / staffed seconds. */
  acwShareOfStaffedTime: number;
  averageHandleSeconds: number;
  averageQueueSeconds: number;
  bytes: { agentEvents: number; ctrs: number };
}

/** Statistics over a simulated stream: the figures `connect-wfm simulate --stats` prints. */
export class SimulationStats {
  private readonly loginAt = new Map<string, number>();
  private staffedMillis = 0;
  private lastTime = 0;
  private agentEvents = 0;
  private readonly eventsByType: Record<string, number> = {};
  private readonly contactMix: Record<string, number> = {};
  private ctrs = 0;
  private answered = 0;
  private abandoned = 0;
  private missedOffers = 0;
  private transfersOut = 0;
  private acwSeconds = 0;
  private handleSeconds = 0;
  private queueSeconds = 0;
  private queued = 0;
  private agentEventBytes = 0;
  private ctrBytes = 0;
  private readonly agents = new Set<string>();

  observe(output: SimulatedOutput, bytes?: number): void {
    this.lastTime = Math.max(this.lastTime, output.timeMillis);
    if (output.kind === 'agent-event') this.observeEvent(output.event, output.timeMillis, bytes);
    else this.observeCtr(output.record, bytes);
  }

  summary(): StatsSummary {
    let staffed = this.staffedMillis;
    for (const since of this.loginAt.values()) staffed += Math.max(0, this.lastTime - since);
    const hours = staffed / 3_600_000;
    return {
      agents: this.agents.size,
      agentEvents: this.agentEvents,
      eventsByType: { ...this.eventsByType },
      staffedAgentHours: hours,
      eventsPerAgentHour: hours > 0 ? this.agentEvents / hours : 0,
      ctrs: this.ctrs,
      contactMix: { ...this.contactMix },
      answered: this.answered,
      abandoned: this.abandoned,
      missedOffers: this.missedOffers,
      transfersOut: this.transfersOut,
      acwShareOfHandleTime: this.handleSeconds > 0 ? this.acwSeconds / this.handleSeconds : 0,
      acwShareOfStaffedTime: staffed > 0 ? (this.acwSeconds * 1000) / staffed : 0,
      averageHandleSeconds: this.answered > 0 ? this.handleSeconds / this.answered : 0,
      averageQueueSeconds: this.queued > 0 ? this.queueSeconds / this.queued : 0,
      bytes: { agentEvents: this.agentEventBytes, ctrs: this.ctrBytes },
    };
  }

  private observeEvent(event: StreamAgentEvent, at: number, bytes?: number): void {
    this.agentEvents++;
    this.agentEventBytes += bytes ?? 0;
    this.agents.add(event.AgentARN);
    this.eventsByType[event.EventType] = (this.eventsByType[event.EventType] ?? 0) + 1;
    if (event.EventType === 'LOGIN') this.loginAt.set(event.AgentARN, at);
    if (event.EventType === 'LOGOUT') {
      const since = this.loginAt.get(event.AgentARN);
      if (since !== undefined) this.staffedMillis += at - since;
      this.loginAt.delete(event.AgentARN);
    }
    const current = event.CurrentAgentSnapshot?.Contacts ?? [];
    const previous = event.PreviousAgentSnapshot?.Contacts ?? [];
    for (const c of current) {
      if (c.State !== 'MISSED' && c.State !== 'REJECTED') continue;
      if (previous.some((p) => p.ContactId === c.ContactId && p.State === 'CONNECTING')) this.missedOffers++;
    }
  }

  private observeCtr(ctr: ContactTraceRecord, bytes?: number): void {
    this.ctrs++;
    this.ctrBytes += bytes ?? 0;
    const key = `${ctr.Channel} ${ctr.InitiationMethod}`;
    this.contactMix[key] = (this.contactMix[key] ?? 0) + 1;
    if (ctr.TransferCompletedTimestamp) this.transfersOut++;
    if (ctr.Queue && ctr.InitiationMethod !== 'OUTBOUND') {
      this.queued++;
      this.queueSeconds += ctr.Queue.Duration;
    }
    if (!ctr.Agent) {
      this.abandoned++;
      return;
    }
    this.answered++;
    const a = ctr.Agent;
    this.acwSeconds += a.AfterContactWorkDuration;
    this.handleSeconds += a.AgentInteractionDuration + a.CustomerHoldDuration + a.AfterContactWorkDuration;
  }
}

const pct = (n: number, total: number) => (total > 0 ? `${((100 * n) / total).toFixed(1)}%` : '0%');

/** The human-readable report, one figure per line. */
export function formatStats(s: StatsSummary): string {
  const mix = Object.entries(s.contactMix)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `  ${k.padEnd(22)} ${String(n).padStart(7)}  ${pct(n, s.ctrs)}`);
  const types = Object.entries(s.eventsByType)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `  ${k.padEnd(22)} ${String(n).padStart(7)}  ${pct(n, s.agentEvents)}`);
  return [
    `agents                  ${s.agents}`,
    `staffed agent-hours     ${s.staffedAgentHours.toFixed(1)}`,
    `agent events            ${s.agentEvents}`,
    ...types,
    `events per agent-hour   ${s.eventsPerAgentHour.toFixed(1)}`,
    `contact records (CTRs)  ${s.ctrs}  (answered ${s.answered}, abandoned ${s.abandoned}, transferred out ${s.transfersOut})`,
    `contact mix`,
    ...mix,
    `missed offers           ${s.missedOffers}`,
    `average handle time     ${s.averageHandleSeconds.toFixed(0)} s`,
    `average queue time      ${s.averageQueueSeconds.toFixed(0)} s`,
    `ACW share               ${pct(s.acwShareOfHandleTime, 1)} of handle time, ${pct(s.acwShareOfStaffedTime, 1)} of staffed time`,
    `bytes                   agent events ${s.bytes.agentEvents}, CTRs ${s.bytes.ctrs}`,
  ].join('\n');
}
