import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePorts } from '../../scripts/stack';

/**
 * Ports the launcher picks for its services: distinct, free, and outside the kernel's ephemeral
 * range, where the machine's outgoing connections could take one between the pick and the listen.
 */
const [ephemeralStart] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);

test('freePorts picks distinct free ports below the ephemeral range', async () => {
  const ports = await freePorts('127.0.0.1', 8);
  expect(new Set(ports).size).toBe(8);
  for (const port of ports) {
    expect(port).toBeGreaterThanOrEqual(20_000);
    expect(port).toBeLessThan(ephemeralStart!);
    // Each is free once picked: the service can listen on it.
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  }
});
