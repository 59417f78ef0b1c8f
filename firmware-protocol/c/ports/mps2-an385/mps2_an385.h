/* Registers of the MPS2 AN385 as emulated by QEMU (-M mps2-an385): the CMSDK APB UART0, SysTick and
 * the NVIC, and the port's "DAC" (one output register per channel in RAM). */
#ifndef MPS2_AN385_H
#define MPS2_AN385_H

#include <stdint.h>

/* Core clock of the AN385 FPGA image, Hz (SysTick counts it). */
#define MPS2_SYSCLK_HZ 25000000u
#define MPS2_TICKS_PER_MS (MPS2_SYSCLK_HZ / 1000u)

/* CMSDK APB UART (Arm DDI 0479): DATA, STATE, CTRL, INTSTATUS/INTCLEAR, BAUDDIV. */
typedef struct cmsdk_uart {
  volatile uint32_t data;
  volatile uint32_t state;    /* bit 0 TX full, bit 1 RX full, bit 2 TX overrun, bit 3 RX overrun */
  volatile uint32_t ctrl;     /* bit 0 TX enable, bit 1 RX enable, bit 2 TX int, bit 3 RX int */
  volatile uint32_t intstatus; /* write 1 to clear: bit 0 TX, bit 1 RX */
  volatile uint32_t bauddiv;
} cmsdk_uart;

#define MPS2_UART0 ((cmsdk_uart *)0x40004000u)
#define UART_STATE_TX_FULL 0x1u
#define UART_STATE_RX_FULL 0x2u
#define UART_STATE_RX_OVERRUN 0x8u
#define UART_CTRL_TX_EN 0x1u
#define UART_CTRL_RX_EN 0x2u
#define UART_CTRL_TX_INT 0x4u
#define UART_CTRL_RX_INT 0x8u
#define UART_INT_TX 0x1u
#define UART_INT_RX 0x2u
#define MPS2_IRQ_UART0_RX 0u
#define MPS2_IRQ_UART0_TX 1u

/* CMSDK APB timer (Arm DDI 0479): a 32-bit down counter at the 25 MHz APB clock. */
typedef struct cmsdk_timer {
  volatile uint32_t ctrl;     /* bit 0 enable, bit 3 interrupt enable */
  volatile uint32_t value;
  volatile uint32_t reload;
  volatile uint32_t intstatus;
} cmsdk_timer;
#define MPS2_TIMER0 ((cmsdk_timer *)0x40000000u)
#define TIMER_CTRL_ENABLE 0x1u

/* SysTick (ARMv7-M): control/status, reload, current value. */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE 0x1u
#define SYST_CSR_TICKINT 0x2u
#define SYST_CSR_CLKSOURCE_CPU 0x4u
/* System handler priority 3: bits 31:24 SysTick. */
#define SCB_SHPR3 (*(volatile uint32_t *)0xE000ED20u)
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define NVIC_IPR ((volatile uint8_t *)0xE000E400u)

/* The port's output stage: the amplitude each channel plays, µA (0 = off). */
#define MPS2_DAC_CHANNELS 2u
extern volatile uint32_t mps2_dac_ua[MPS2_DAC_CHANNELS];

#endif /* MPS2_AN385_H */
