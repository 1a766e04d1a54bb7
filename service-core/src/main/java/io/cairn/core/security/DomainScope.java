package io.cairn.core.security;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The domains a principal may see and act on, from its token's domain claim: names or shell-style patterns
 * ({@code *} any run of characters, {@code ?} one). A principal whose token has no such claim sees no domain; a
 * domain out of its scope is answered as if it did not exist.
 */
public final class DomainScope {
    /** Every domain: the claim {@code ["*"]}, or security switched off. */
    public static final DomainScope ALL = new DomainScope(List.of("*"));
    /** No domain: a token without the claim. */
    public static final DomainScope NONE = new DomainScope(List.of());

    private final List<String> patterns;
    private final List<Pattern> compiled;

    private DomainScope(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.compiled = this.patterns.stream().map(DomainScope::compile).toList();
    }

    /** The scope a claim's values describe; blank values are ignored. */
    public static DomainScope of(Collection<String> patterns) {
        return new DomainScope(patterns.stream().filter(p -> p != null && !p.isBlank()).map(String::strip).toList());
    }

    public boolean includes(String domain) {
        return domain != null && compiled.stream().anyMatch(pattern -> pattern.matcher(domain).matches());
    }

    public List<String> patterns() {
        return patterns;
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return "DomainScope" + patterns;
    }
}
