package dev.zgres.bench.receive;

/**
 * Finds the event id in a payload: the number after the first {@code "id"} key. Both triggers put
 * the row's columns in the payload and no key before the row data is called {@code id}, so a scan
 * is enough and keeps JSON parsing out of the receivers' hot loop.
 */
public final class PayloadIds {
  private static final String KEY = "\"id\"";

  private PayloadIds() {}

  /** The id, or -1 if the payload has none. */
  public static long extract(String payload) {
    int at = payload.indexOf(KEY);
    if (at < 0) {
      return -1;
    }
    int i = at + KEY.length();
    while (i < payload.length() && (payload.charAt(i) == ' ' || payload.charAt(i) == ':')) {
      i++;
    }
    long id = 0;
    int digits = 0;
    while (i < payload.length() && Character.isDigit(payload.charAt(i))) {
      id = id * 10 + (payload.charAt(i) - '0');
      i++;
      digits++;
    }
    return digits == 0 ? -1 : id;
  }
}
