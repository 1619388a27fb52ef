import {
  type ConnectClient,
  GetCurrentUserDataCommand,
  ListRoutingProfilesCommand,
  ListUsersCommand,
  type UserData,
} from '@aws-sdk/client-connect';
import { errorMessage, isRetryable } from '../../../common/errors';
import type { Logger } from '../../../common/logging/logger';
import { ConsumerMetric } from '../../../common/observability/metricNames';
import type { Metrics } from '../../../common/observability/metrics';
import { backoffMillis } from '../delivery/backoff';
import { toConnectError, isConnectThrottling } from './connectErrors';
import { RequestPacer } from './RequestPacer';

/** GetCurrentUserData takes at most 100 routing profiles per filter and returns at most 100 users per page. */
export const MAX_FILTER_VALUES = 100;
export const MAX_USER_DATA_RESULTS = 100;
/** ListUsers and ListRoutingProfiles return up to 1,000 per page. */
export const MAX_LIST_RESULTS = 1000;

export interface ConnectReaderOptions {
  client: ConnectClient;
  instanceId: string;
  requestsPerSecond: number;
  maxAttempts: number;
  logger: Logger;
  metrics: Metrics;
  sleep?: (millis: number) => Promise<void>;
  /** Back-off after a throttled call: from `retryBaseMillis`, doubling up to `retryMaxMillis`. */
  retryBaseMillis?: number;
  retryMaxMillis?: number;
}

/** One logged-in agent as Connect reports it, with the username WFM knows the agent by. */
export interface CurrentAgent {
  username: string;
  data: UserData;
}

export interface CurrentAgents {
  /** When the first GetCurrentUserData page was requested: every state returned is at least this recent. */
  takenAtMillis: number;
  agents: CurrentAgent[];
  /** Connect API calls this read took (retries included). */
  calls: number;
}

/**
 * Reads every logged-in agent's current state from Amazon Connect: the routing profiles (ListRoutingProfiles), then
 * GetCurrentUserData filtered by up to 100 routing profiles per call, 100 users per page, NextToken paging. User ids
 * become usernames through ListUsers, cached and re-read when an unknown id appears. Every call waits its turn
 * under the configured request rate; throttling and server faults are retried with back-off.
 */
export class ConnectReader {
  private readonly pacer: RequestPacer;
  private readonly sleep: (millis: number) => Promise<void>;
  private usernames = new Map<string, string>();
  private calls = 0;

  constructor(private readonly options: ConnectReaderOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.pacer = new RequestPacer(options.requestsPerSecond, this.sleep);
  }

  async currentAgents(): Promise<CurrentAgents> {
    const before = this.calls;
    const profiles = await this.routingProfileIds();
    const takenAtMillis = Date.now();
    const data: UserData[] = [];
    for (let i = 0; i < profiles.length; i += MAX_FILTER_VALUES) {
      const chunk = profiles.slice(i, i + MAX_FILTER_VALUES);
      let nextToken: string | undefined;
      do {
        const page = await this.call('GetCurrentUserData', () =>
          this.options.client.send(
            new GetCurrentUserDataCommand({
              InstanceId: this.options.instanceId,
              Filters: { RoutingProfiles: chunk },
              MaxResults: MAX_USER_DATA_RESULTS,
              NextToken: nextToken,
            }),
          ),
        );
        data.push(...(page.UserDataList ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
    }
    const agents = await this.withUsernames(data);
    return { takenAtMillis, agents, calls: this.calls - before };
  }

  /** Cheapest read-only call (doctor): one ListRoutingProfiles page of one. */
  async probe(): Promise<void> {
    await this.call('ListRoutingProfiles', () =>
      this.options.client.send(new ListRoutingProfilesCommand({ InstanceId: this.options.instanceId, MaxResults: 1 })),
    );
  }

  private async routingProfileIds(): Promise<string[]> {
    const pages = await this.listAll('ListRoutingProfiles', (page) =>
      this.options.client.send(new ListRoutingProfilesCommand(page)),
    );
    return pages.flatMap((p) => (p.RoutingProfileSummaryList ?? []).flatMap((r) => (r.Id ? [r.Id] : [])));
  }

  /** UserData carries the user id only; an id not in the cache re-reads ListUsers once per snapshot. */
  private async withUsernames(data: readonly UserData[]): Promise<CurrentAgent[]> {
    if (data.some((d) => d.User?.Id && !this.usernames.has(d.User.Id))) this.usernames = await this.listUsers();
    const agents: CurrentAgent[] = [];
    let unknown = 0;
    for (const d of data) {
      const username = d.User?.Id ? this.usernames.get(d.User.Id)?.trim() : undefined;
      if (username) agents.push({ username, data: d });
      else unknown++;
    }
    if (unknown > 0) {
      this.options.logger.warn('Connect reported agents that ListUsers does not know; left out', { agents: unknown });
      this.options.metrics.count(ConsumerMetric.ConnectUnknownUsers, unknown);
    }
    return agents;
  }

  private async listUsers(): Promise<Map<string, string>> {
    const pages = await this.listAll('ListUsers', (page) => this.options.client.send(new ListUsersCommand(page)));
    const users = new Map<string, string>();
    for (const p of pages) for (const u of p.UserSummaryList ?? []) if (u.Id && u.Username) users.set(u.Id, u.Username);
    return users;
  }

  /** Every page of a List call (1,000 per page), NextToken to NextToken. */
  private async listAll<T extends { NextToken?: string }>(
    name: string,
    send: (page: { InstanceId: string; MaxResults: number; NextToken?: string }) => Promise<T>,
  ): Promise<T[]> {
    const pages: T[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(name, () =>
        send({ InstanceId: this.options.instanceId, MaxResults: MAX_LIST_RESULTS, NextToken: nextToken }),
      );
      pages.push(page);
      nextToken = page.NextToken;
    } while (nextToken);
    return pages;
  }

  private async call<T>(name: string, send: () => Promise<T>): Promise<T> {
    const { maxAttempts, metrics, logger } = this.options;
    for (let attempt = 1; ; attempt++) {
      await this.pacer.turn();
      this.calls++;
      metrics.count(ConsumerMetric.ConnectApiCalls, 1, { call: name });
      try {
        return await send();
      } catch (raw) {
        const error = toConnectError(raw, name);
        if (!isRetryable(error) || attempt >= maxAttempts) throw error;
        if (isConnectThrottling(raw)) metrics.count(ConsumerMetric.ConnectThrottled, 1, { call: name });
        const wait = backoffMillis(attempt, this.options.retryBaseMillis ?? 200, this.options.retryMaxMillis ?? 10_000);
        if (attempt === 1 || attempt % 5 === 0)
          logger.info('Connect call failed; retrying', {
            call: name,
            attempt,
            waitMillis: wait,
            error: errorMessage(error),
          });
        await this.sleep(wait);
      }
    }
  }
}
