/**
 * The demo lab's pool answers over real XenAPI from Labwarden's own simulator on loopback, serving a
 * hand-made xapi database shaped like the demo lab (resources/demo-lab.xapi-db.xml). The inventory keeps
 * the lab's real-looking URL; only the collector is pointed at the simulator, and the screens say so.
 * Started on first need, so a lab that is not the demo never opens the port.
 */
import { startXapiSimulator, type XapiSimulator } from '../../simulators/xapi';
import type { PoolRedirect } from '../../collect/pools';
import type { Device } from '../../domain/model/devices';
import demoPoolDump from '../../../resources/demo-lab.xapi-db.xml?raw';

const DEMO_POOL = 'hp-pool';
const DEMO_USER = 'root';
const DEMO_PASSWORD = 'demo-lab-password';

export class DemoPeers {
  private xapi: XapiSimulator | null = null;
  private starting: Promise<void> | null = null;
  private closed = false;

  /** `onReady` runs once the simulators listen, so the caller can point its collectors at them. */
  constructor(private readonly onReady: () => void) {}

  redirect(device: Device): PoolRedirect | null {
    if (device.kind !== 'xen-pool' || device.name !== DEMO_POOL) return null;
    if (!this.xapi) {
      this.start();
      return null;
    }
    return {
      url: this.xapi.url,
      username: DEMO_USER,
      password: DEMO_PASSWORD,
      note: `demo lab: answered by Labwarden's built-in XenAPI simulator at ${this.xapi.url}`,
    };
  }

  private start(): void {
    if (this.starting || this.closed) return;
    // XenServer 6.2 predates reliable JSON-RPC (reference §1.3): the demo pool speaks XML-RPC only, as the lab's would.
    this.starting = startXapiSimulator({ dump: demoPoolDump, users: { [DEMO_USER]: DEMO_PASSWORD }, jsonRpc: false }).then(
      async (simulator) => {
        if (this.closed) return void (await simulator.close());
        this.xapi = simulator;
        this.onReady();
      },
      () => {
        this.starting = null; // the status line shows the pool as not polled; the next sync tries again
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting;
    await this.xapi?.close();
    this.xapi = null;
  }
}
