/**
 * The agent-state table's item that says which process of the KCL fleet runs the Connect truth job
 * (connect/kcl/TruthLease.ts). Not in the lease table: KCL treats every item there as a shard lease. Its key cannot be
 * a Connect username (`#` is not allowed in one), it has no `shardId` (so no child loads it through the shard index)
 * and the store's full scans skip it.
 */
export const TRUTH_LEASE_KEY = '#connect-truth';
export const isTruthLeaseItem = (userCode: unknown): boolean => userCode === TRUTH_LEASE_KEY;
