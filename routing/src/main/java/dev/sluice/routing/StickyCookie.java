package dev.sluice.routing;

import static java.util.Objects.requireNonNull;

/**
 * HAProxy's {@code cookie NAME [insert] [indirect] [nocache] [httponly] [secure]}: a request
 * carrying {@code NAME=V} goes to the usable server whose {@code cookie} is {@code V}.
 *
 * @param insert   Sluice adds {@code Set-Cookie: NAME=V; path=/} when the client did not send
 *                 the right value; without it the server sets the cookie itself (passive mode)
 * @param indirect the cookie is removed from the request before it is forwarded
 * @param nocache  a response that gets the cookie also gets {@code Cache-Control: private}
 */
public record StickyCookie(String name, boolean insert, boolean indirect, boolean nocache, boolean httpOnly,
                           boolean secure) {

    public StickyCookie {
        requireNonNull(name, "name");
    }

    /** The {@code Set-Cookie} value for a server whose cookie is {@code value}. */
    public String setCookie(String value) {
        return name + '=' + value + "; path=/" + (httpOnly ? "; HttpOnly" : "") + (secure ? "; Secure" : "");
    }
}
