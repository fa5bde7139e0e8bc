package dev.platform.aws.ssm;

import dev.platform.aws.PlatformConfig;
import dev.platform.core.config.SecretParameters;
import dev.platform.topology.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * Sensitive variables as SSM Parameter Store SecureString parameters, encrypted with {@code ENV_PARAMETER_KEY_ID}
 * or, when unset, the account's {@code aws/ssm} key. Parameters are written with {@code Overwrite=false}: SSM
 * itself refuses to change a version, and a refusal is resolved by comparing the stored value.
 */
public final class SsmSecretParameters implements SecretParameters {
    /** The most names one {@code DeleteParameters} call takes. */
    static final int DELETE_BATCH = 10;
    /** The most results one {@code GetParametersByPath} page holds. */
    static final int PAGE_SIZE = 10;

    private final SsmClient ssm;
    private final Optional<String> keyId;

    /** @param keyId the KMS key (id, ARN or alias) for SecureString values; empty: the account's {@code aws/ssm} key */
    public SsmSecretParameters(SsmClient ssm, Optional<String> keyId) {
        this.ssm = ssm;
        this.keyId = keyId;
    }

    /** The key from {@link Settings#ENV_PARAMETER_KEY_ID}, if set. */
    public static SsmSecretParameters fromConfig(SsmClient ssm, PlatformConfig config) {
        return new SsmSecretParameters(ssm, config.get(Settings.ENV_PARAMETER_KEY_ID));
    }

    @Override
    public String put(String name, String value, Map<String, String> tags) {
        try {
            ssm.putParameter(r -> {
                r.name(name).value(value).type(ParameterType.SECURE_STRING).overwrite(false);
                keyId.ifPresent(r::keyId);
                if (!tags.isEmpty()) {
                    r.tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList());
                }
            });
            // PutParameter answers a version, not the ARN; the metadata read needs no decryption
            return ssm.getParameter(r -> r.name(name)).parameter().arn();
        } catch (ParameterAlreadyExistsException exists) {
            // a retry of a write that went through, or a real conflict: only the stored value tells
            Parameter stored = ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter();
            if (stored.type() != ParameterType.SECURE_STRING) {
                throw new IllegalStateException("parameter " + name + " exists but is a " + stored.typeAsString()
                        + ", not a SecureString: refusing to reference an unencrypted value");
            }
            // constant time, as for any comparison with a secret
            if (!MessageDigest.isEqual(stored.value().getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))) {
                throw new ParameterConflictException(name);
            }
            return stored.arn();
        }
    }

    @Override
    public List<String> namesUnder(String path) {
        String sent = withoutTrailingSlash(path);
        // SSM matches whole path segments; the filter keeps that true against an emulator that matches a plain prefix
        String under = sent.equals("/") ? "/" : sent + "/";
        return ssm.getParametersByPathPaginator(r -> r.path(sent).recursive(true).maxResults(PAGE_SIZE))
                .stream()  // this paginator pages responses only (SSM's paginator model names no result key)
                .flatMap(page -> page.parameters().stream())
                .map(Parameter::name)
                .filter(name -> name.startsWith(under))
                .sorted()
                .toList();
    }

    @Override
    public int deleteUnder(String path) {
        List<String> names = namesUnder(path);
        int deleted = 0;
        for (int from = 0; from < names.size(); from += DELETE_BATCH) {
            List<String> batch = names.subList(from, Math.min(names.size(), from + DELETE_BATCH));
            // a name deleted meanwhile comes back in InvalidParameters: already gone is fine, it is just not counted
            deleted += ssm.deleteParameters(r -> r.names(batch)).deletedParameters().size();
        }
        return deleted;
    }

    private static String withoutTrailingSlash(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a parameter path is absolute (starts with /), got " + path);
        }
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
