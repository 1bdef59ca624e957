package dev.sluice.routing;

import java.util.regex.Pattern;

/**
 * The actions of {@code http-request} and {@code http-response} lines, executed by proxy-core.
 * Values are literal strings (HAProxy's log-format expressions are not evaluated).
 */
public sealed interface HttpAction {

    /** {@code redirect scheme|location|prefix VALUE [code N]}. */
    record Redirect(Kind kind, String value, int code) implements HttpAction {
        public enum Kind { SCHEME, LOCATION, PREFIX }
    }

    record SetHeader(String name, String value) implements HttpAction {}

    record AddHeader(String name, String value) implements HttpAction {}

    record DelHeader(String name) implements HttpAction {}

    /** {@code replace-header NAME REGEX REPLACEMENT}: applied to each value ({@code \1} style groups). */
    record ReplaceHeader(String name, Pattern regex, String replacement) implements HttpAction {}

    record SetPath(String path) implements HttpAction {}

    /** {@code replace-path REGEX REPLACEMENT}. */
    record ReplacePath(Pattern regex, String replacement) implements HttpAction {}

    /** {@code deny [deny_status N]}. */
    record Deny(int status) implements HttpAction {}

    /** {@code auth [realm R]}: answer 401 with {@code WWW-Authenticate: Basic realm="R"}. */
    record Auth(String realm) implements HttpAction {}

    /** {@code return status N [content-type T] [string S]}. */
    record Return(int status, String contentType, String body) implements HttpAction {}
}
