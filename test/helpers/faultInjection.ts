import { FaultProxy } from './faultProxy.js';
import { FargateAgent, type FargateAgentOptions } from './motoFargateAgent.js';
import type { TestPipeline } from './motoPipeline.js';
import { useMotoServer } from './motoServer.js';

/**
 * The lifecycle of a file of fault-injection tests: one moto_server for the
 * file; per test a fault proxy in front of it (create the pipeline with
 * `proxy.endpoint`, so that every AWS call passes through it) and a Fargate
 * agent whose runners use the proxy too; both stopped before moto is reset.
 *
 * @example
 * const faults = useFaultInjection();
 * it('…', async () => {
 *   const proxy = await faults.startProxy();
 *   const pipeline = await createTestPipeline(proxy.endpoint);
 *   const agent = await faults.startAgent(pipeline);
 * });
 */
export function useFaultInjection(): {
  startProxy(): Promise<FaultProxy>;
  startAgent(pipeline: TestPipeline, options?: Partial<FargateAgentOptions>): Promise<FargateAgent>;
} {
  let proxy: FaultProxy | undefined;
  let agent: FargateAgent | undefined;
  const moto = useMotoServer({
    beforeReset: async () => {
      await agent?.stop();
      await proxy?.stop();
      agent = undefined;
      proxy = undefined;
    },
  });
  return {
    async startProxy() {
      proxy = await FaultProxy.start(moto.endpoint);
      return proxy;
    },
    async startAgent(pipeline, options = {}) {
      if (!proxy) throw new Error('start the fault proxy first: the runners talk to AWS through it');
      agent = new FargateAgent({ endpoint: proxy.endpoint, ecs: pipeline.clients.ecs, clusterArn: pipeline.clusterArn, ...options });
      await agent.start();
      return agent;
    },
  };
}
