/**
 * hardware-mock: a simulated StimBench stimulator board with firmware behaviour, for tests and the
 * no-hardware demo. It speaks firmware-protocol over a W3C-SerialPort-shaped `board.port`, runs on an
 * injected clock (real or virtual), and lets tests inject faults. See SimulatedBoard.ts for the API and
 * Firmware.ts for the protocol behaviour.
 */
export { SimulatedBoard } from './SimulatedBoard.ts';
export type { BoardInjector, BoardStats, FrameListener } from './SimulatedBoard.ts';
export type { SimulatedBoardOptions, TestOnlyBreakages } from './BoardConfig.ts';
export { DEFAULT_CAPS, DEFAULT_USB_PRODUCT_ID, DEFAULT_USB_VENDOR_ID } from './BoardConfig.ts';
export type { LoadModel } from './ElectrodeLoad.ts';
export { DEFAULT_LOAD, ELECTRODE_OFF_LOAD, IMPEDANCE_LIMIT_OHM, IMPEDANCE_TEST_PULSE_US, effectiveImpedanceOhm } from './ElectrodeLoad.ts';
export type { BoardDose, SampleListener } from './OutputModel.ts';
export { SimulatedSerialPort, RX_BACKLOG_BYTES } from './SimulatedSerialPort.ts';
export { SimulatedBoardError, BoardOptionError, type BoardErrorCode } from './errors.ts';
export { checkProgramOnBoard, checkAmplitudeOnBoard, chargeAmplitudeBoundUa, rmsAmplitudeBoundUa, BOARD_MODE_TABLE, type BoardLimitFailure } from './firmwareValidation.ts';
export { Rng } from './Rng.ts';
export { VirtualClock, realClock, type Clock, type TimerId } from './clock.ts';
