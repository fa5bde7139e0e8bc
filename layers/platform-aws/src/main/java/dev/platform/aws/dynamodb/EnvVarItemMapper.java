package dev.platform.aws.dynamodb;

import dev.platform.core.config.EnvScope;
import dev.platform.core.config.EnvVar;
import dev.platform.core.config.EnvVarKey;
import dev.platform.core.config.EnvVarVersion;
import dev.platform.core.ids.ProjectId;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Environment variables in the project's partition: {@code ENV#<scope>#<NAME>#<branch>} the current version (a
 * tombstone once deleted), {@code ENVV#<scope>#<NAME>#<branch>#<version>} each change. The branch is
 * percent-encoded, so no {@code #} of a branch name can make one key's prefix match another's; names have none.
 */
final class EnvVarItemMapper {
    static final String CURRENT_PREFIX = "ENV#";
    static final String VERSION_PREFIX = "ENVV#";

    private EnvVarItemMapper() {
    }

    static String scopePrefix(EnvScope scope) {
        return CURRENT_PREFIX + scope.wireName() + "#";
    }

    private static String keyPart(EnvVarKey key) {
        return key.scope().wireName() + "#" + key.name() + "#" + URLEncoder.encode(key.branch(), StandardCharsets.UTF_8);
    }

    static Map<String, AttributeValue> currentKey(EnvVarKey key) {
        return Map.of(Keys.PK, Attr.s(Keys.project(key.projectId())), Keys.SK, Attr.s(CURRENT_PREFIX + keyPart(key)));
    }

    /** The prefix of a variable's versions; with {@link #versionKey} they sort oldest first. */
    static String versionPrefix(EnvVarKey key) {
        return VERSION_PREFIX + keyPart(key) + "#";
    }

    static Map<String, AttributeValue> versionKey(EnvVarKey key, long version) {
        return Map.of(Keys.PK, Attr.s(Keys.project(key.projectId())),
                Keys.SK, Attr.s(versionPrefix(key) + String.format("%010d", version)));
    }

    static Map<String, AttributeValue> item(EnvVar variable) {
        Map<String, AttributeValue> item = new HashMap<>(currentKey(variable.key()));
        item.put("type", Attr.s("env"));
        item.put("sensitive", Attr.bool(variable.sensitive()));
        item.put("version", Attr.n(variable.version()));
        item.put("updatedAt", Attr.time(variable.updatedAt()));
        item.put("updatedBy", Attr.s(variable.updatedBy()));
        item.put("deleted", Attr.bool(variable.deleted()));
        if (variable.sealed() != null) {
            item.put("sealed", Attr.s(variable.sealed()));
            item.put("valueHash", Attr.s(variable.valueHash()));
        }
        return item;
    }

    static Map<String, AttributeValue> item(EnvVarVersion change) {
        Map<String, AttributeValue> item = new HashMap<>(versionKey(change.key(), change.version()));
        item.put("type", Attr.s("env-version"));
        item.put("action", Attr.s(change.action()));
        item.put("sensitive", Attr.bool(change.sensitive()));
        item.put("at", Attr.time(change.at()));
        item.put("actor", Attr.s(change.actor()));
        if (change.tokenId() != null) {
            item.put("tokenId", Attr.s(change.tokenId()));
        }
        if (change.sealed() != null) {
            item.put("sealed", Attr.s(change.sealed()));
            item.put("valueHash", Attr.s(change.valueHash()));
        }
        return item;
    }

    static EnvVar variable(Map<String, AttributeValue> item) {
        return new EnvVar(key(item, CURRENT_PREFIX), Attr.string(item, "sealed"), Attr.flag(item, "sensitive"),
                Attr.number(item, "version"), Attr.string(item, "valueHash"), Attr.instant(item, "updatedAt"),
                Attr.string(item, "updatedBy"), Attr.flag(item, "deleted"));
    }

    static EnvVarVersion version(Map<String, AttributeValue> item) {
        String sk = Attr.string(item, Keys.SK);
        return new EnvVarVersion(key(item, VERSION_PREFIX), Long.parseLong(sk.substring(sk.lastIndexOf('#') + 1)),
                Attr.string(item, "action"), Attr.flag(item, "sensitive"), Attr.string(item, "valueHash"),
                Attr.string(item, "sealed"), Attr.instant(item, "at"), Attr.string(item, "actor"), Attr.string(item, "tokenId"));
    }

    private static EnvVarKey key(Map<String, AttributeValue> item, String prefix) {
        String[] parts = Attr.string(item, Keys.SK).substring(prefix.length()).split("#", -1);
        ProjectId projectId = ProjectId.of(Attr.string(item, Keys.PK).substring("PROJECT#".length()));
        return new EnvVarKey(projectId, EnvScope.of(parts[0]).orElseThrow(), parts[1],
                URLDecoder.decode(parts[2], StandardCharsets.UTF_8));
    }
}
