package dev.platform.core.deploy;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;

/**
 * The host names environments are served at, all under wildcard records and certificates (no DNS record
 * per preview):
 * <ul>
 *   <li>a preview on shard 0: {@code pr-<n>-<project>-<random>.<previewDomain>}; on shard k ≥ 1:
 *       {@code pr-<n>-<project>-<random>.s<k>.<previewDomain>};</li>
 *   <li>production: {@code <project>.prod.<previewDomain>}.</li>
 * </ul>
 * The random part (10 base-32 characters, 50 bits) comes from a new {@link SecureRandom} per host, so no
 * state of a SnapStart snapshot ever chooses it, and makes a preview's URL unguessable: the host is fixed
 * for the preview's life, stored with its environment.
 *
 * @param previewDomain e.g. {@code preview.example.com}; {@code preview.localhost} locally
 * @param urlTemplate the URL of a host, with {@code {host}}: {@code https://{host}} on AWS
 */
public record EnvironmentHosts(String previewDomain, String urlTemplate) {
    static final int LABEL_LIMIT = 63;
    static final int RANDOM_CHARACTERS = 10;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    public EnvironmentHosts {
        Objects.requireNonNull(previewDomain, "previewDomain");
        previewDomain = previewDomain.toLowerCase(Locale.ROOT);
        if (!urlTemplate.contains("{host}")) {
            throw new IllegalArgumentException("the URL template must contain {host}: " + urlTemplate);
        }
    }

    /** A new host for the environment on {@code shard} (ignored for production). */
    public String newHost(EnvironmentRef environment, int shard) {
        if (!environment.preview()) {
            return environment.projectId().value() + ".prod." + previewDomain;
        }
        String number = Integer.toString(environment.pr().value());
        String random = random();
        int room = LABEL_LIMIT - "pr-".length() - number.length() - 2 - random.length();
        String project = environment.projectId().value();
        project = project.substring(0, Math.min(project.length(), room)).replaceAll("-+$", "");
        String label = "pr-" + number + "-" + project + "-" + random;
        return label + (shard == 0 ? "" : ".s" + shard) + "." + previewDomain;
    }

    public String url(String host) {
        return urlTemplate.replace("{host}", host);
    }

    private static String random() {
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder(RANDOM_CHARACTERS);
        for (int i = 0; i < RANDOM_CHARACTERS; i++) {
            text.append(BASE32[random.nextInt(BASE32.length)]);
        }
        return text.toString();
    }
}
