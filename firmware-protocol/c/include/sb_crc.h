/* CRC-32C (Castagnoli; iSCSI, RFC 3720 B.4): reflected polynomial 0x82F63B78, init and final XOR
 * 0xFFFFFFFF. Check value of ASCII "123456789": 0xE3069283. */
#ifndef SB_CRC_H
#define SB_CRC_H

#include <stddef.h>
#include <stdint.h>

/* Initial running value; feed bytes with sb_crc32c_update, finish with sb_crc32c_final. */
#define SB_CRC32C_INIT 0xFFFFFFFFu

/* Advance a running CRC over `length` bytes. Cannot fail (`bytes` may be NULL only when length is 0). */
uint32_t sb_crc32c_update(uint32_t crc, const uint8_t *bytes, size_t length);

/* Advance a running CRC by one byte (the streaming receiver's hot path). Cannot fail. */
uint32_t sb_crc32c_byte(uint32_t crc, uint8_t byte);

/* The CRC of everything fed so far. Cannot fail. */
static inline uint32_t sb_crc32c_final(uint32_t crc) { return crc ^ 0xFFFFFFFFu; }

/* CRC-32C of a whole buffer. Cannot fail. */
uint32_t sb_crc32c(const uint8_t *bytes, size_t length);

#endif /* SB_CRC_H */
