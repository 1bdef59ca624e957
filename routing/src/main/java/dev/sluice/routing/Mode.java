package dev.sluice.routing;

/** HAProxy's {@code mode}: HTTP-aware proxying or plain byte forwarding. */
public enum Mode {
    HTTP, TCP
}
