/**
 * A pool member and its master, as two XAPI simulators, for HOST_IS_SLAVE tests. A redirect keeps the scheme and
 * port and changes only the address (reference §1.5), so the master listens on 127.0.0.2 and the member on
 * 127.0.0.1 at the same port. The master takes any free port; should that port be taken on 127.0.0.1, both start
 * again on another, so a test never has to skip for want of a port.
 */
import { startXapiSimulator, type XapiSimulator, type XapiSimulatorOptions } from '../../../src-main/simulators/xapi';

export const MASTER_ADDRESS = '127.0.0.2';
export const MEMBER_ADDRESS = '127.0.0.1';

type Side = Omit<XapiSimulatorOptions, 'host' | 'port' | 'memberOf'>;

export async function startMemberAndMaster(member: Side, master: Side): Promise<{ member: XapiSimulator; master: XapiSimulator }> {
  for (let attempt = 1; ; attempt++) {
    const started = await startXapiSimulator({ ...master, host: MASTER_ADDRESS, port: 0 });
    try {
      const follower = await startXapiSimulator({ ...member, host: MEMBER_ADDRESS, port: started.port, memberOf: MASTER_ADDRESS });
      return { member: follower, master: started };
    } catch (error) {
      await started.close();
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw error;
    }
  }
}
