/**
 * The simulated board served over TCP, as a board behind a serial-to-network bridge is (pySerial's
 * `socket://host:port`): one client at a time, the board's bytes both ways, nothing else. The board runs
 * on the real clock. When a client goes away the board keeps its state, as real hardware does: a
 * session still running sees silence, and the board's watchdog stops it.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { SimulatedBoard } from '../../hardware-mock/src/index.ts';

export interface BoardServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function serveBoardOverTcp(board: SimulatedBoard, host: string, port: number, log: (line: string) => void = () => {}): Promise<BoardServer> {
  let client: Socket | null = null;
  const server: Server = createServer((socket) => {
    if (client) {
      // A second host on one board would interleave two protocol sessions: refused, as a busy port is.
      log(`refused a second client from ${socket.remoteAddress}:${socket.remotePort} (one at a time)`);
      socket.destroy();
      return;
    }
    client = socket;
    socket.setNoDelay(true);
    log(`client connected from ${socket.remoteAddress}:${socket.remotePort}`);
    void attach(board, socket).finally(() => {
      client = null;
      log('client disconnected');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        client?.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Bridge one TCP client to the board's port until either side ends. */
async function attach(board: SimulatedBoard, socket: Socket): Promise<void> {
  const port = board.port;
  await port.open({ baudRate: 115_200 });
  const reader = port.readable!.getReader();
  const writer = port.writable!.getWriter();
  const ended = new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.on('error', () => resolve());
  });
  socket.on('data', (data: Buffer) => {
    void writer.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).catch(() => socket.destroy());
  });
  const pumping = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        if (!socket.destroyed) socket.write(value);
      }
    } catch {
      // the port was closed or the board unplugged
    } finally {
      socket.destroy();
    }
  })();
  await ended;
  await reader.cancel().catch(() => {});
  reader.releaseLock();
  writer.releaseLock();
  await pumping;
  await port.close().catch(() => {});
}
