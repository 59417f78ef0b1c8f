/* UART0 of the MPS2 AN385: receive by interrupt (one byte per RX interrupt, as the CMSDK UART has no
 * FIFO), send through a ring buffer drained by the TX interrupt. Every caller runs at the one interrupt
 * priority the port uses, so the ring needs no locking. */
#include "uart.h"

#include "mps2_an385.h"

/* Room for two full TELEMETRY batches and their replies: the most one 100 ms batch period produces. */
#define TX_RING_BYTES 4096u

static uint8_t tx_ring[TX_RING_BYTES];
static uint32_t tx_head, tx_tail; /* free-running; head − tail bytes queued */
static uint32_t tx_dropped;

void uart0_init(void) {
  MPS2_UART0->bauddiv = MPS2_SYSCLK_HZ / 115200u; /* 115200 8N1 on hardware; QEMU ignores it */
  MPS2_UART0->ctrl = UART_CTRL_TX_EN | UART_CTRL_RX_EN | UART_CTRL_RX_INT;
}

static void pump(void) {
  while (tx_head != tx_tail && (MPS2_UART0->state & UART_STATE_TX_FULL) == 0u) {
    MPS2_UART0->data = tx_ring[tx_tail % TX_RING_BYTES];
    tx_tail++;
  }
  if (tx_head != tx_tail) MPS2_UART0->ctrl |= UART_CTRL_TX_INT;
  else MPS2_UART0->ctrl &= ~UART_CTRL_TX_INT;
}

void uart0_send(const uint8_t *bytes, size_t length) {
  for (size_t i = 0; i < length; i++) {
    if (tx_head - tx_tail >= TX_RING_BYTES) {
      tx_dropped += (uint32_t)(length - i); /* the host sees a missing reply; never block an ISR */
      break;
    }
    tx_ring[tx_head % TX_RING_BYTES] = bytes[i];
    tx_head++;
  }
  pump();
}

uint32_t uart0_tx_dropped(void) { return tx_dropped; }

void uart0_tx_handler(void) {
  MPS2_UART0->intstatus = UART_INT_TX;
  pump();
}
