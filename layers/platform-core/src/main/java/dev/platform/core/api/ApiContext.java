package dev.platform.core.api;

import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.Accounts.Member;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * What every API resource family shares: the store, the clock, the cursor signer, and the one way a team
 * permission is checked and a change is audited.
 */
public final class ApiContext {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private final ApiStore store;
    private final Clock clock;
    private volatile Cursors cursors;

    public ApiContext(ApiStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public ApiStore store() {
        return store;
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * The caller's membership of the team, if the role allows the permission. Not a member: 404, as if the
     * team did not exist. A member without the permission: 403, and the refusal is in the audit log.
     */
    public Member require(ApiRequest request, String teamId, Permission permission, String action, String target) {
        Caller caller = request.requireCaller();
        Member member = store.member(teamId, caller.userId()).orElseThrow(() -> ApiProblem.notFound("team " + teamId));
        if (!Permissions.allows(member.role(), permission)) {
            store.appendAudit(audit(request, teamId, action, target, "denied"));
            throw ApiProblem.forbidden(permission);
        }
        return member;
    }

    /** A project and the caller's membership of its team. */
    public record ProjectAccess(Project project, Member member) {
    }

    /**
     * The project in the request's path, if the caller's role in its team allows the permission: else 404 (no such
     * project, or not a member of its team: the same answer) or 403.
     */
    public Project project(ApiRequest request, Permission permission, String action, String target) {
        return projectAccess(request, permission, action, target).project();
    }

    /** {@link #project}, with the caller's membership (for answers that depend on the role). */
    public ProjectAccess projectAccess(ApiRequest request, Permission permission, String action, String target) {
        String id = request.path("projectId");
        Optional<Project> project = id.matches("[a-z0-9][a-z0-9-]{0,39}")
                ? store.project(dev.platform.core.ids.ProjectId.of(id)) : Optional.empty();
        Project found = project.orElseThrow(() -> ApiProblem.notFound("project " + id));
        try {
            return new ProjectAccess(found, require(request, found.teamId(), permission, action, target));
        } catch (ApiProblem problem) {
            throw problem.status() == 404 ? ApiProblem.notFound("project " + id) : problem;
        }
    }

    /** The caller's membership, without a permission check (a member reads the team). */
    public Optional<Member> membership(ApiRequest request, String teamId) {
        return store.member(teamId, request.requireCaller().userId());
    }

    public AuditEntry audit(ApiRequest request, String teamId, String action, String target, String outcome) {
        Caller caller = request.requireCaller();
        return auditBy(caller.userId(), caller.tokenId(), request.requestId(), teamId, action, target, outcome);
    }

    public AuditEntry auditBy(String userId, String tokenId, String requestId, String teamId, String action, String target,
                              String outcome) {
        Instant now = now();
        // time first, so the log sorts by it; a random tail keeps two entries of one millisecond apart
        String auditId = String.format("%013d", now.toEpochMilli()) + Long.toHexString(new SecureRandom().nextLong() | Long.MIN_VALUE);
        return new AuditEntry(auditId, teamId, userId, tokenId, action, target, now, requestId == null ? "" : requestId, outcome);
    }

    /** {@code ?limit=}: 1 to 100, 20 when absent. */
    public int limit(ApiRequest request) {
        String value = request.query().get("limit");
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ApiProblem.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** The store position in {@code ?cursor=}, checked to be one this API gave for the same list. */
    public String after(ApiRequest request, String list) {
        return cursors().verify(list, request.query().get("cursor"));
    }

    public String nextCursor(String list, Page<?> page) {
        return cursors().sign(list, page.after());
    }

    private Cursors cursors() {
        Cursors made = cursors;
        if (made == null) {
            // read on first use, not at init: a SnapStart snapshot holds no key
            made = new Cursors(store.cursorKey());
            cursors = made;
        }
        return made;
    }
}
