package dev.zgres.consumers.gateway.limit;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Admits login attempts before they reach bcrypt in the database: one bucket per username (case
 * folded, as usernames are unique regardless of case) against guessing one account's password, and
 * one per client address against a flood over many usernames. An attempt must pass both.
 */
public final class LoginThrottle {
  private final KeyedRateLimiter perUser;
  private final KeyedRateLimiter perAddress;

  /**
   * @param perUserPerMinute attempts a minute for one username (and the same number as burst)
   * @param perAddressPerMinute attempts a minute from one address (and the same number as burst)
   */
  public LoginThrottle(int perUserPerMinute, int perAddressPerMinute, LongSupplier nanoClock) {
    this.perUser =
        new KeyedRateLimiter(perUserPerMinute / 60.0, perUserPerMinute, 100_000, nanoClock);
    this.perAddress =
        new KeyedRateLimiter(perAddressPerMinute / 60.0, perAddressPerMinute, 100_000, nanoClock);
  }

  /** Whether this attempt may go to the database; a refused attempt is answered 429. */
  public boolean admit(String username, String address) {
    boolean addressOk = perAddress.tryAcquire(address);
    return addressOk && perUser.tryAcquire(username.toLowerCase(Locale.ROOT));
  }
}
