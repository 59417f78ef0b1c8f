/** What a StimulatorClient is built with: timing, retries, liveness, and the host-side limits it starts with. */
import type { LabCap } from '../../../firmware-protocol/src/index.ts';
import type { Clock } from '../clock.ts';
import type { HeartbeatDriver } from './HeartbeatDriver.ts';

export interface StimulatorClientOptions {
  clock?: Clock;
  /** Per-attempt reply timeout, ms. Default 250. */
  requestTimeoutMs?: number;
  /** Extra attempts for idempotent requests (HELLO, GET_INFO, GET_STATUS, MEASURE_IMPEDANCE, CLEAR_FAULT). Default 2. */
  retries?: number;
  /** HEARTBEAT period, ms. Default 100 (HEARTBEAT_PERIOD_MS). */
  heartbeatMs?: number;
  /** No valid frame for this long = board silent (fault, ESTOP). Default 3 heartbeats + one timeout. */
  silentAfterMs?: number;
  /** GET_STATUS this often while connected, so a lost STATUS/FAULT frame cannot hide a state change. 0 = off. Default 1000. */
  statusPollMs?: number;
  labCap?: LabCap;
  /** Electrode area per channel index, cm² (a channel without one has no program sent). */
  electrodeAreasCm2?: Readonly<Record<number, number>>;
  /** What ticks heartbeats; default clock.setInterval. */
  heartbeatDriver?: HeartbeatDriver;
  /** First request seq (tests of wrap-around). Default 1. */
  firstSeq?: number;
}
