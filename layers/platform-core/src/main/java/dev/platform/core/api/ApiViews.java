package dev.platform.core.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.Accounts.Invitation;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.Accounts.Team;
import dev.platform.core.api.Accounts.User;
import dev.platform.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** The API's JSON representations (the OpenAPI document's schemas of the same names). */
final class ApiViews {
    private ApiViews() {
    }

    static ObjectNode user(User user) {
        return Json.object().put("userId", user.userId()).put("name", user.name()).put("email", user.email())
                .put("createdAt", user.createdAt().toString());
    }

    /** Never the token's value: that is shown once, by {@link #newToken}. */
    static ObjectNode token(ApiToken token) {
        ObjectNode node = Json.object().put("tokenId", token.tokenId()).put("name", token.name())
                .put("prefix", token.prefix()).put("createdAt", token.createdAt().toString());
        time(node, "expiresAt", token.expiresAt());
        time(node, "lastUsedAt", token.lastUsedAt());
        return node;
    }

    static ObjectNode newToken(ApiToken token, String value) {
        return token(token).put("token", value);
    }

    static ObjectNode team(Team team, Role role) {
        return Json.object().put("teamId", team.teamId()).put("name", team.name())
                .put("createdAt", team.createdAt().toString()).put("role", role.wireName());
    }

    static ObjectNode member(Member member) {
        return Json.object().put("userId", member.userId()).put("name", member.name()).put("email", member.email())
                .put("role", member.role().wireName()).put("joinedAt", member.joinedAt().toString());
    }

    static ObjectNode invitation(Invitation invitation, Instant now) {
        String status = invitation.status() == Accounts.InvitationStatus.PENDING && !now.isBefore(invitation.expiresAt())
                ? "expired" : invitation.status().wireName();
        return Json.object().put("invitationId", invitation.invitationId()).put("teamId", invitation.teamId())
                .put("email", invitation.email()).put("role", invitation.role().wireName())
                .put("invitedBy", invitation.invitedBy()).put("createdAt", invitation.createdAt().toString())
                .put("expiresAt", invitation.expiresAt().toString()).put("status", status);
    }

    static ObjectNode audit(AuditEntry entry) {
        ObjectNode node = Json.object().put("auditId", entry.auditId()).put("actor", entry.actor());
        if (entry.tokenId() != null) {
            node.put("tokenId", entry.tokenId());
        }
        return node.put("action", entry.action()).put("target", entry.target()).put("at", entry.at().toString())
                .put("requestId", entry.requestId()).put("outcome", entry.outcome());
    }

    static ObjectNode project(Project project) {
        ObjectNode node = Json.object().put("projectId", project.projectId().value()).put("teamId", project.teamId())
                .put("name", project.name()).put("slug", project.slug()).put("repository", project.repository())
                .put("productionBranch", project.productionBranch());
        ObjectNode build = node.putObject("build").put("dockerfile", project.build().dockerfile())
                .put("context", project.build().context()).put("target", project.build().target());
        ObjectNode args = build.putObject("args");
        project.build().buildArgs().forEach(args::put);
        ObjectNode deploy = node.putObject("deploy").put("port", project.deploy().port())
                .put("healthCheckPath", project.deploy().healthCheckPath()).put("cpu", project.deploy().cpu())
                .put("memory", project.deploy().memoryMiB());
        ArrayNode command = deploy.putArray("command");
        project.deploy().command().forEach(command::add);
        node.putObject("previews").put("sleepAfter", project.previews().sleepAfter().toString())
                .put("expireAfter", project.previews().expireAfter().toString())
                .put("maxActivePreviews", project.previews().maxActivePreviews());
        return node.put("createdAt", project.createdAt().toString()).put("updatedAt", project.updatedAt().toString());
    }

    /** A page of a list: {@code {"items":[...],"nextCursor":...}} (null on the last page). */
    static <T> ObjectNode page(List<T> items, Function<T, ObjectNode> view, String nextCursor) {
        ObjectNode node = Json.object();
        ArrayNode array = node.putArray("items");
        items.forEach(item -> array.add(view.apply(item)));
        if (nextCursor == null) {
            node.putNull("nextCursor");
        } else {
            node.put("nextCursor", nextCursor);
        }
        return node;
    }

    /** A time, or null, as every view writes it. */
    static void time(ObjectNode node, String field, Instant value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toString());
        }
    }
}
