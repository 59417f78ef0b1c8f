/**
 * USB ids of StimBench boards: pid.codes vendor 0x1209 (open-source hardware) with product 0x5354 ("ST").
 * The simulated board reports the same ids. Hobbyist boards on generic USB-serial chips have other ids,
 * so filters are optional everywhere.
 */
export const STIMBENCH_USB_VENDOR_ID = 0x1209;
export const STIMBENCH_USB_PRODUCT_ID = 0x5354;

/** Web Serial chooser filter for StimBench boards. */
export const STIMBENCH_SERIAL_FILTERS: SerialPortFilter[] = [{ usbVendorId: STIMBENCH_USB_VENDOR_ID, usbProductId: STIMBENCH_USB_PRODUCT_ID }];

/** USB CDC class codes (USB CDC 1.2 §4.2, §4.5): communications (control) and CDC-Data interfaces. */
export const USB_CLASS_CDC = 0x02;
export const USB_CLASS_CDC_DATA = 0x0a;
