package dev.sluice.routing.service;

/** A basic-auth user of a service: {@code password} is a crypt(3) hash when {@code encrypted}. */
public record ServiceUser(String name, String password, boolean encrypted) {

    @Override
    public String toString() {
        return "ServiceUser[" + name + ", <redacted>]";
    }
}
