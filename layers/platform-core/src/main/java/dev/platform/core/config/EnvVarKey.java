package dev.platform.core.config;

import dev.platform.core.ids.ProjectId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which variable: a project's name in a scope, for every branch ({@code branch} empty) or, in {@code preview}, for one
 * branch, whose value beats the scope's.
 */
public record EnvVarKey(ProjectId projectId, EnvScope scope, String name, String branch) {
    public EnvVarKey {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        branch = branch == null ? "" : branch;
        if (!branch.isEmpty() && scope != EnvScope.PREVIEW) {
            throw new IllegalArgumentException("only preview variables have a branch");
        }
    }

    public boolean forBranch() {
        return !branch.isEmpty();
    }

    /**
     * The encryption context of its value (KMS's and the AES-GCM additional data): a value sealed for one team,
     * project, scope, name and branch opens for no other.
     */
    public Map<String, String> encryptionContext(String teamId) {
        Map<String, String> context = new TreeMap<>(Map.of("team", teamId, "project", projectId.value(),
                "scope", scope.wireName(), "name", name));
        if (forBranch()) {
            context.put("branch", branch);
        }
        return context;
    }
}
