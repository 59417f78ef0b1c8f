/* StimBench reference firmware on the Arm MPS2 AN385 (Cortex-M3), as emulated by QEMU -M mps2-an385.
 *
 *   UART0 RX interrupt ──▶ sb_board_receive (a frame is handled when its delimiter arrives: an ESTOP
 *                          has zeroed the DAC before the interrupt returns)
 *   SysTick, 1 kHz     ──▶ sb_board_tick (ramps, watchdog, TELEMETRY)
 *   TIMER0, free-running at 25 MHz ──▶ the board's millisecond clock. Time is read from a counter, not
 *                          counted in SysTick interrupts: a late or lost tick interrupt (QEMU on a
 *                          busy host drops some) must not slow the board's clock, or its watchdog and
 *                          session timer would run late.
 *   set_output         ──▶ the DAC: one 32-bit register per channel (mps2_dac_ua)
 *   send               ──▶ UART0 TX ring, drained by the TX interrupt
 *
 * All three interrupts share one priority, so the board is never entered twice at once (sb_board.h).
 * The load is a 1 kΩ resistor per channel: the voltage read back is I·R.
 *
 * Built with SB_ESTOP_PROBE=1 (the -probe image), the RX interrupt also timestamps the delimiter of
 * each frame with TIMER0's counter, and when that frame drove every DAC register from non-zero to
 * zero, the main loop reports the elapsed counter ticks through Arm semihosting ("estop-latency-ticks
 * N" on QEMU's console; QEMU needs -semihosting-config enable=on). One tick is 40 ns at 25 MHz; under
 * QEMU's -icount shift=0 one instruction is 1 ns of virtual time, so ticks × 40 ≈ instructions. */
#include <stdbool.h>

#include "mps2_an385.h"
#include "sb_board.h"
#include "uart.h"

#ifndef SB_ESTOP_PROBE
#define SB_ESTOP_PROBE 0
#endif

/* The load of every channel, Ω. */
#define LOAD_OHM 1000u

__attribute__((section(".dac"))) volatile uint32_t mps2_dac_ua[MPS2_DAC_CHANNELS];

static sb_board board;
/* TIMER0 counts down at 25 MHz and wraps every 171 s; every read folds the ticks since the last one
 * into a 64-bit total. Read only from the port's interrupts (one priority), so never concurrently. */
static uint32_t clock_last_count = 0xFFFFFFFFu;
static uint64_t clock_ticks;

static uint32_t clock_ms(void) {
  const uint32_t count = MPS2_TIMER0->value;
  clock_ticks += (uint32_t)(clock_last_count - count);
  clock_last_count = count;
  return (uint32_t)(clock_ticks / MPS2_TICKS_PER_MS);
}

static void set_output(void *context, uint8_t channel, const sb_output *output);
static void read_load(void *context, uint8_t channel, uint32_t test_ua, int32_t *voltage_mv, int32_t *current_ua);
static void send(void *context, const uint8_t *bytes, size_t length);

static void read_load(void *context, uint8_t channel, uint32_t test_ua, int32_t *voltage_mv, int32_t *current_ua) {
  (void)context;
  const uint32_t ua = test_ua > 0u ? test_ua : (channel < MPS2_DAC_CHANNELS ? mps2_dac_ua[channel] : 0u);
  *current_ua = (int32_t)ua;
  *voltage_mv = (int32_t)((uint64_t)ua * LOAD_OHM / 1000u);
}

static void send(void *context, const uint8_t *bytes, size_t length) {
  (void)context;
  uart0_send(bytes, length);
}

#if SB_ESTOP_PROBE
/* TIMER0 ticks (40 ns each) counted up from boot; differences are exact across a wrap. */
static uint32_t probe_ticks(void) { return 0xFFFFFFFFu - MPS2_TIMER0->value; }
static bool probe_armed, probe_was_live;
static uint32_t probe_delimiter_ticks;
static volatile uint32_t probe_latency_ticks;
static volatile bool probe_ready;

static bool dac_live(void) {
  for (uint32_t c = 0; c < MPS2_DAC_CHANNELS; c++) if (mps2_dac_ua[c] != 0u) return true;
  return false;
}

/* Semihosting SYS_WRITE0: print a NUL-terminated string on the debugger's (QEMU's) console. */
static void semihost_write0(const char *text) {
  register uint32_t r0 __asm("r0") = 0x04u;
  register const char *r1 __asm("r1") = text;
  __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
}

static void print_latency(uint32_t ticks) {
  char line[40] = "estop-latency-ticks ";
  char digits[11];
  int n = 0;
  do { digits[n++] = (char)('0' + ticks % 10u); ticks /= 10u; } while (ticks > 0u);
  int at = 20;
  while (n > 0) line[at++] = digits[--n];
  line[at++] = '\n';
  line[at] = '\0';
  semihost_write0(line);
}
#endif

static void set_output(void *context, uint8_t channel, const sb_output *output) {
  (void)context;
  if (channel >= MPS2_DAC_CHANNELS) return;
  mps2_dac_ua[channel] = output->amplitude_ua;
#if SB_ESTOP_PROBE
  if (probe_armed && probe_was_live && !dac_live()) {
    probe_latency_ticks = probe_ticks() - probe_delimiter_ticks;
    probe_armed = false;
    probe_ready = true;
  }
#endif
}

void uart0_rx_handler(void) {
  MPS2_UART0->intstatus = UART_INT_RX;
  while ((MPS2_UART0->state & UART_STATE_RX_FULL) != 0u) {
#if SB_ESTOP_PROBE
    const uint32_t arrived = probe_ticks();
#endif
    const uint8_t byte = (uint8_t)MPS2_UART0->data;
#if SB_ESTOP_PROBE
    probe_armed = byte == 0u;
    probe_was_live = dac_live();
    probe_delimiter_ticks = arrived;
#endif
    (void)sb_board_receive(&board, &byte, 1u, clock_ms());
  }
  MPS2_UART0->state = UART_STATE_RX_OVERRUN; /* write 1 to clear */
}

void systick_handler(void) { (void)sb_board_tick(&board, clock_ms()); }

int main(void) {
  for (uint32_t c = 0; c < MPS2_DAC_CHANNELS; c++) mps2_dac_ua[c] = 0;
  sb_board_config config;
  sb_board_default_config(&config);
  config.caps.channel_count = MPS2_DAC_CHANNELS;
  const char serial[] = "SB-MPS2-0001";
  for (uint32_t i = 0; i < sizeof serial; i++) config.serial_number[i] = serial[i];
  const sb_hal hal = { .context = 0, .set_output = set_output, .read_load = read_load, .send = send };
  if (sb_board_init(&board, &config, &hal, SB_BOOT_COLD, 0u) != SB_OK) {
    for (;;) __asm volatile("wfi"); /* a config error: nothing runs, the DAC stays at 0 */
  }
  MPS2_TIMER0->reload = 0xFFFFFFFFu;
  MPS2_TIMER0->value = 0xFFFFFFFFu;
  MPS2_TIMER0->ctrl = TIMER_CTRL_ENABLE;
  uart0_init();
  /* One priority for SysTick and both UART interrupts: none preempts another. */
  SCB_SHPR3 = (SCB_SHPR3 & 0x00FFFFFFu) | (0x80u << 24);
  NVIC_IPR[MPS2_IRQ_UART0_RX] = 0x80u;
  NVIC_IPR[MPS2_IRQ_UART0_TX] = 0x80u;
  NVIC_ISER0 = (1u << MPS2_IRQ_UART0_RX) | (1u << MPS2_IRQ_UART0_TX);
  SYST_RVR = MPS2_TICKS_PER_MS - 1u;
  SYST_CVR = 0;
  SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE_CPU;
  for (;;) {
#if SB_ESTOP_PROBE
    if (probe_ready) {
      probe_ready = false;
      print_latency(probe_latency_ticks);
    }
#endif
    __asm volatile("wfi");
  }
}
