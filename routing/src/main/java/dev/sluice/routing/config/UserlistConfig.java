package dev.sluice.routing.config;

import java.util.List;

/** A {@code userlist} section. */
public record UserlistConfig(String name, List<User> users, List<Group> groups) {

    public UserlistConfig {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
    }

    /**
     * {@code user NAME password HASH} ({@code insecure == false}) or
     * {@code user NAME insecure-password PW}.
     */
    public record User(String name, String password, boolean insecure, List<String> groups) {
        public User {
            groups = List.copyOf(groups);
        }
    }

    public record Group(String name, List<String> users) {
        public Group {
            users = List.copyOf(users);
        }
    }
}
