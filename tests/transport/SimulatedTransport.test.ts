/**
 * The same SerialPortTransport contract against the simulated board's W3C-shaped port: the board is
 * reached through exactly the code path a real Web Serial port uses.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, type Message } from '../../firmware-protocol/src/index.ts';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { createSimulatedTransport, SimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import { SerialPortTransport } from '../../src/lib/transport/SerialPortTransport.ts';
import { TransportError } from '../../src/lib/transport/Transport.ts';

function setup() {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock, telemetryRateHz: 0 });
  return { clock, board, transport: createSimulatedTransport(board) };
}

async function readMessages(reader: ReadableStreamDefaultReader<Uint8Array>, decoder: FrameDecoder, count: number): Promise<Message[]> {
  const out: Message[] = [];
  while (out.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    out.push(...decoder.push(value));
  }
  return out;
}

describe('createSimulatedTransport(board)', () => {
  it("is a SerialPortTransport over board.port, kind 'simulated', labelled with the board's serial number", () => {
    const { board, transport } = setup();
    expect(transport).toBeInstanceOf(SimulatedTransport);
    expect(transport).toBeInstanceOf(SerialPortTransport);
    expect(transport.port).toBe(board.port);
    expect(transport.board).toBe(board);
    expect(transport.identity).toEqual({ kind: 'simulated', usbVendorId: 0x1209, usbProductId: 0x5354, serialNumber: 'SIM-0001', label: 'Simulated board (SIM-0001)' });
  });

  it('open → HELLO frame out → INFO frame back; close releases the board port', async () => {
    const { board, transport } = setup();
    await expect(async () => transport.readable).rejects.toMatchObject({ code: 'NOT_OPEN' });
    await transport.open();
    expect(board.port.isOpen).toBe(true);
    await expect(transport.open()).rejects.toMatchObject({ code: 'ALREADY_OPEN' });
    const reader = transport.readable.getReader();
    const writer = transport.writable.getWriter();
    await writer.write(encodeFrame({ type: 'hello', seq: 9, minVersion: 1, maxVersion: 1 }));
    const [info] = await readMessages(reader, new FrameDecoder(), 1);
    expect(info).toMatchObject({ type: 'info', replyTo: 9, serialNumber: 'SIM-0001' });
    expect(() => transport.readable.getReader()).toThrow(TypeError);
    await transport.close();
    expect(board.port.isOpen).toBe(false);
    expect(transport.isOpen).toBe(false);
  });

  it('unplug: DEVICE_LOST on both streams, onDisconnect once; after replug the transport opens again', async () => {
    const { board, transport } = setup();
    let lost = 0;
    transport.onDisconnect(() => lost++);
    await transport.open();
    const reader = transport.readable.getReader();
    const writer = transport.writable.getWriter();
    const pending = reader.read();
    board.inject.unplug();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'DEVICE_LOST', fatal: true });
    await expect(writer.write(Uint8Array.of(0))).rejects.toMatchObject({ code: 'DEVICE_LOST' });
    expect(lost).toBe(1);
    expect(transport.isOpen).toBe(false);
    await expect(transport.open()).rejects.toMatchObject({ code: 'OPEN_FAILED' });
    board.inject.replug();
    await transport.open();
    expect(transport.isOpen).toBe(true);
    await transport.close();
  });

  it('writes reach the board inside write(): ESTOP has zeroed nothing-yet-running and is ACKed', async () => {
    const { board, transport } = setup();
    const seen: string[] = [];
    board.onFrame((dir, m) => seen.push(`${dir} ${m.type}`));
    await transport.open();
    const writer = transport.writable.getWriter();
    await writer.write(encodeFrame({ type: 'estop', seq: 1 }));
    expect(seen.slice(0, 2)).toEqual(['in estop', 'out ack']);
    expect(board.fault).toBe('estop');
    await transport.close();
  });
});
