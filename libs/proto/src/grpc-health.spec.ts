import { bindGrpcServer } from './grpc-server';
import { createGrpcClient, grpc } from './grpc-client';
import { addGrpcHealthService, HealthService, HealthServingStatus } from './grpc-health';

describe('gRPC health service', () => {
  let server: grpc.Server;
  let serving = true;
  let client: ReturnType<typeof createGrpcClient<typeof HealthService>>;

  beforeAll(async () => {
    server = new grpc.Server();
    addGrpcHealthService(server, () => serving, new Set(['starling.registry.v1.RegistryService']));
    const port = await bindGrpcServer(server, '127.0.0.1', 0);
    client = createGrpcClient(HealthService, `127.0.0.1:${port}`);
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  it('answers SERVING for the server and its named services, NOT_SERVING when the check fails', async () => {
    expect(await client.check({ service: '' })).toEqual({ status: HealthServingStatus.SERVING });
    expect(await client.check({ service: 'starling.registry.v1.RegistryService' })).toEqual({ status: HealthServingStatus.SERVING });
    serving = false;
    expect(await client.check({ service: '' })).toEqual({ status: HealthServingStatus.NOT_SERVING });
  });

  it('answers NOT_FOUND for a service it does not know', async () => {
    await expect(client.check({ service: 'nope.Service' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });
});
