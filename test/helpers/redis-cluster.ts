// Tests and benchmarks start private Redis Clusters the same way.
export { type PrivateRedisCluster, startRedisCluster } from '../../simulators/evaluation/redis-cluster.js';
