/* UART0 driver of the MPS2 AN385 port. */
#ifndef MPS2_UART_H
#define MPS2_UART_H

#include <stddef.h>
#include <stdint.h>

void uart0_init(void);
/* Queue bytes for the host; what does not fit the ring is dropped and counted. */
void uart0_send(const uint8_t *bytes, size_t length);
uint32_t uart0_tx_dropped(void);
void uart0_tx_handler(void);

#endif /* MPS2_UART_H */
