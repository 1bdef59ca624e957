package dev.sluice.routing.config;

/**
 * The {@code global} settings Sluice uses.
 *
 * @param maxconn    {@code 0} when unset
 * @param bufsize    {@code tune.bufsize}: the largest request head accepted
 * @param maxHeaders {@code tune.http.maxhdr}
 */
public record GlobalConfig(int maxconn, int bufsize, int maxHeaders) {

    public static final GlobalConfig DEFAULT = new GlobalConfig(0, 16384, 101);
}
