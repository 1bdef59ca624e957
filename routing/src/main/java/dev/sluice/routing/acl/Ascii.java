package dev.sluice.routing.acl;

/** ASCII-only case folding, as HAProxy's {@code -i} (C locale {@code tolower}). */
public final class Ascii {

    private Ascii() {
    }

    public static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    char d = chars[j];
                    if (d >= 'A' && d <= 'Z') {
                        chars[j] = (char) (d + 32);
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    public static String upper(String s) {
        char[] chars = s.toCharArray();
        for (int j = 0; j < chars.length; j++) {
            char d = chars[j];
            if (d >= 'a' && d <= 'z') {
                chars[j] = (char) (d - 32);
            }
        }
        return new String(chars);
    }
}
