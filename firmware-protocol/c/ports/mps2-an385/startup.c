/* Cortex-M3 start-up for the MPS2 AN385: the vector table, the reset handler (copy .data from its
 * load address, zero .bss, run main) and a fault handler that stops the output (the DAC) and halts. */
#include <stdint.h>

#include "mps2_an385.h"

extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_top;
int main(void);

void reset_handler(void);
void fault_handler(void);
void systick_handler(void);
void uart0_rx_handler(void);
void uart0_tx_handler(void);

/* Faults stop every output (the DAC registers) and wait: the board's hardware watchdog (absent in QEMU)
 * would then reset it, and it would come back as after a reset (PROTOCOL.md § 6.7). */
void fault_handler(void) {
  for (uint32_t c = 0; c < MPS2_DAC_CHANNELS; c++) mps2_dac_ua[c] = 0;
  for (;;) __asm volatile("wfi");
}

void reset_handler(void) {
  uint32_t *src = &__data_load;
  for (uint32_t *dst = &__data_start; dst < &__data_end;) *dst++ = *src++;
  for (uint32_t *dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
  (void)main();
  for (;;) __asm volatile("wfi");
}

typedef void (*vector)(void);

/* Cortex-M3 system exceptions, then the AN385 interrupts: IRQ 0 UART0 RX, IRQ 1 UART0 TX. */
__attribute__((section(".vectors"), used)) static const vector vectors[16 + 2] = {
  (vector)(uintptr_t)&__stack_top,
  reset_handler,
  fault_handler, /* NMI */
  fault_handler, /* HardFault */
  fault_handler, /* MemManage */
  fault_handler, /* BusFault */
  fault_handler, /* UsageFault */
  0, 0, 0, 0,
  fault_handler, /* SVCall */
  fault_handler, /* DebugMonitor */
  0,
  fault_handler, /* PendSV */
  systick_handler,
  uart0_rx_handler,
  uart0_tx_handler,
};
