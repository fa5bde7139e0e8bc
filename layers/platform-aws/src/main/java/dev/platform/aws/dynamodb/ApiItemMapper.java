package dev.platform.aws.dynamodb;

import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.Accounts.Invitation;
import dev.platform.core.api.Accounts.InvitationStatus;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.Accounts.Team;
import dev.platform.core.api.Accounts.User;
import dev.platform.core.api.Project;
import dev.platform.core.api.Role;
import dev.platform.core.deploy.DeploySettings;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.repoevent.RepoEvent;
import dev.platform.core.sleep.SleepPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The REST API's items to and from the records of {@code dev.platform.core.api}: users and their email
 * claims, tokens, teams, memberships, invitations, audit entries, projects with their slug claims and
 * repository links (see docs/design-notes.md). Project items stay what {@link ProjectRegistry} writes,
 * plus the API's attributes, so builds and the webhook path read them as before.
 */
final class ApiItemMapper {
    /** The attributes a project item may lose from one revision to the next. */
    static final List<String> PROJECT_OPTIONAL = List.of("buildTarget", "buildArgs");
    /** A token item outlives its expiry by a day before TTL removes it, so a late request still reads as expired, not unknown. */
    private static final Duration TOKEN_TTL_GRACE = Duration.ofDays(1);

    private ApiItemMapper() {
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return StateItemMapper.key(pk, sk);
    }

    static Map<String, AttributeValue> meta(String pk) {
        return key(pk, Keys.META);
    }

    /**
     * A time an expression compares as a string: fixed width, so that it sorts as the times do
     * ({@link Instant#toString} drops zero fractions, and {@code 00Z} sorts after {@code 00.5Z}).
     */
    static AttributeValue comparableTime(Instant at) {
        return Attr.s(DeploymentItemMapper.indexTime(at));
    }

    // users

    static Map<String, AttributeValue> item(User user) {
        Map<String, AttributeValue> item = base(meta(Keys.user(user.userId())), "user");
        item.put("userId", Attr.s(user.userId()));
        item.put("name", Attr.s(user.name()));
        item.put("email", Attr.s(user.email()));
        item.put("createdAt", Attr.time(user.createdAt()));
        return item;
    }

    static Map<String, AttributeValue> emailClaim(User user) {
        Map<String, AttributeValue> item = base(meta(Keys.email(user.email())), "emailClaim");
        item.put("userId", Attr.s(user.userId()));
        return item;
    }

    static User user(Map<String, AttributeValue> item) {
        return new User(Attr.string(item, "userId"), Attr.string(item, "name"), Attr.string(item, "email"),
                Attr.instant(item, "createdAt"));
    }

    // tokens

    static Map<String, AttributeValue> item(ApiToken token) {
        Map<String, AttributeValue> item = base(meta(Keys.token(token.hash())), "token");
        item.put("tokenId", Attr.s(token.tokenId()));
        item.put("userId", Attr.s(token.userId()));
        item.put("name", Attr.s(token.name()));
        item.put("prefix", Attr.s(token.prefix()));
        item.put("createdAt", Attr.time(token.createdAt()));
        if (token.expiresAt() != null) {
            // expiresAt is the table's TTL attribute (epoch seconds); the token's own expiry is a time like the others
            item.put("tokenExpiresAt", Attr.time(token.expiresAt()));
            item.put("expiresAt", Attr.n(token.expiresAt().plus(TOKEN_TTL_GRACE).getEpochSecond()));
        }
        if (token.lastUsedAt() != null) {
            item.put("lastUsedAt", comparableTime(token.lastUsedAt()));
        }
        item.put("GSI1PK", Attr.s(Keys.userTokens(token.userId())));
        item.put("GSI1SK", Attr.s(DeploymentItemMapper.indexTime(token.createdAt()) + "#" + token.tokenId()));
        return item;
    }

    static ApiToken token(Map<String, AttributeValue> item) {
        String hash = Attr.string(item, Keys.PK).substring(Keys.token("").length());
        return new ApiToken(Attr.string(item, "tokenId"), hash, Attr.string(item, "userId"), Attr.string(item, "name"),
                Attr.string(item, "prefix"), Attr.instant(item, "createdAt"), Attr.instant(item, "tokenExpiresAt"),
                Attr.instant(item, "lastUsedAt"));
    }

    // teams and members

    /** A new team with its count of owners (what keeps its last owner one) and no projects yet. */
    static Map<String, AttributeValue> item(Team team, long owners) {
        Map<String, AttributeValue> item = base(meta(Keys.team(team.teamId())), "team");
        item.put("teamId", Attr.s(team.teamId()));
        item.put("name", Attr.s(team.name()));
        item.put("createdAt", Attr.time(team.createdAt()));
        item.put("owners", Attr.n(owners));
        item.put("projects", Attr.n(0));
        return item;
    }

    static Team team(Map<String, AttributeValue> item) {
        return new Team(Attr.string(item, "teamId"), Attr.string(item, "name"), Attr.instant(item, "createdAt"));
    }

    static Map<String, AttributeValue> memberKey(String teamId, String userId) {
        return key(Keys.team(teamId), Keys.member(userId));
    }

    static Map<String, AttributeValue> item(Member member) {
        Map<String, AttributeValue> item = base(memberKey(member.teamId(), member.userId()), "member");
        item.put("teamId", Attr.s(member.teamId()));
        item.put("userId", Attr.s(member.userId()));
        item.put("name", Attr.s(member.name()));
        item.put("email", Attr.s(member.email()));
        item.put("role", Attr.s(member.role().wireName()));
        item.put("joinedAt", Attr.time(member.joinedAt()));
        item.put("GSI1PK", Attr.s(Keys.user(member.userId())));
        item.put("GSI1SK", Attr.s(Keys.team(member.teamId())));
        return item;
    }

    static Member member(Map<String, AttributeValue> item) {
        return new Member(Attr.string(item, "teamId"), Attr.string(item, "userId"), Attr.string(item, "name"),
                Attr.string(item, "email"), role(item), Attr.instant(item, "joinedAt"));
    }

    // invitations

    static Map<String, AttributeValue> item(Invitation invitation) {
        Map<String, AttributeValue> item = base(meta(Keys.invitation(invitation.hash())), "invitation");
        item.put("invitationId", Attr.s(invitation.invitationId()));
        item.put("teamId", Attr.s(invitation.teamId()));
        item.put("email", Attr.s(invitation.email()));
        item.put("role", Attr.s(invitation.role().wireName()));
        item.put("invitedBy", Attr.s(invitation.invitedBy()));
        item.put("createdAt", Attr.time(invitation.createdAt()));
        item.put("invitationExpiresAt", Attr.time(invitation.expiresAt()));
        item.put("status", Attr.s(invitation.status().wireName()));
        // an expired invitation is no use to anyone: TTL removes it, whatever its status
        item.put("expiresAt", Attr.n(invitation.expiresAt().getEpochSecond()));
        item.put("GSI1PK", Attr.s(Keys.teamInvitations(invitation.teamId())));
        item.put("GSI1SK", Attr.s(DeploymentItemMapper.indexTime(invitation.createdAt()) + "#" + invitation.invitationId()));
        return item;
    }

    static Invitation invitation(Map<String, AttributeValue> item) {
        String hash = Attr.string(item, Keys.PK).substring(Keys.invitation("").length());
        return new Invitation(Attr.string(item, "invitationId"), hash, Attr.string(item, "teamId"),
                Attr.string(item, "email"), role(item), Attr.string(item, "invitedBy"),
                Attr.instant(item, "createdAt"), Attr.instant(item, "invitationExpiresAt"),
                InvitationStatus.valueOf(Attr.string(item, "status").toUpperCase(Locale.ROOT)));
    }

    // audit

    static Map<String, AttributeValue> item(AuditEntry entry) {
        Map<String, AttributeValue> item = base(key(Keys.team(entry.teamId()), Keys.audit(entry.auditId())), "audit");
        item.put("auditId", Attr.s(entry.auditId()));
        item.put("teamId", Attr.s(entry.teamId()));
        putIfPresent(item, "actor", entry.actor());
        putIfPresent(item, "tokenId", entry.tokenId());
        item.put("action", Attr.s(entry.action()));
        putIfPresent(item, "target", entry.target());
        item.put("at", Attr.time(entry.at()));
        putIfPresent(item, "requestId", entry.requestId());
        item.put("outcome", Attr.s(entry.outcome()));
        return item;
    }

    static AuditEntry audit(Map<String, AttributeValue> item) {
        return new AuditEntry(Attr.string(item, "auditId"), Attr.string(item, "teamId"), Attr.string(item, "actor"),
                Attr.string(item, "tokenId"), Attr.string(item, "action"), Attr.string(item, "target"),
                Attr.instant(item, "at"), Attr.string(item, "requestId"), Attr.string(item, "outcome"));
    }

    // projects

    static Map<String, AttributeValue> projectKey(ProjectId projectId) {
        return meta(Keys.project(projectId));
    }

    static Map<String, AttributeValue> slugKey(String teamId, String slug) {
        return key(Keys.team(teamId), Keys.slug(slug));
    }

    static Map<String, AttributeValue> linkKey(String repository, ProjectId projectId) {
        return key(Keys.repo(RepoEvent.repositoryKey(repository)), Keys.project(projectId));
    }

    /**
     * The project item's attributes but its key, type, version and installation: what
     * {@link ProjectRegistry} writes, then the API's own (name, slug, deploy settings, preview policy,
     * times) and its entry in the team's project list (GSI1).
     */
    static Map<String, AttributeValue> projectAttributes(Project project) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("projectId", Attr.s(project.projectId().value()));
        item.put("teamId", Attr.s(project.teamId()));
        item.put("repository", Attr.s(project.repository()));
        item.put("productionBranch", Attr.s(project.productionBranch()));
        BuildSettingsAttributes.write(project.build(), item);
        item.put("name", Attr.s(project.name()));
        item.put("slug", Attr.s(project.slug()));
        DeploySettings deploy = project.deploy();
        item.put("port", Attr.n(deploy.port()));
        item.put("healthCheckPath", Attr.s(deploy.healthCheckPath()));
        item.put("cpu", Attr.n(deploy.cpu()));
        item.put("memoryMiB", Attr.n(deploy.memoryMiB()));
        item.put("command", AttributeValue.fromL(deploy.command().stream().map(Attr::s).toList()));
        SleepPolicy previews = project.previews();
        item.put("sleepAfter", Attr.s(previews.sleepAfter().toString()));
        item.put("expireAfter", Attr.s(previews.expireAfter().toString()));
        item.put("maxActivePreviews", Attr.n(previews.maxActivePreviews()));
        item.put("createdAt", Attr.time(project.createdAt()));
        item.put("updatedAt", Attr.time(project.updatedAt()));
        item.put("GSI1PK", Attr.s(Keys.teamProjects(project.teamId())));
        item.put("GSI1SK", Attr.s(project.slug()));
        return item;
    }

    /** A new project's item, at the project's revision. */
    static Map<String, AttributeValue> item(Project project) {
        Map<String, AttributeValue> item = new HashMap<>(projectAttributes(project));
        item.putAll(projectKey(project.projectId()));
        item.put("type", Attr.s("project"));
        item.put("version", Attr.n(project.revision()));
        return item;
    }

    /**
     * A project item, also one {@link ProjectRegistry} wrote without the API's attributes: its id is its
     * name and slug, its settings the defaults, its revision its {@code version}.
     */
    static Project project(Map<String, AttributeValue> item) {
        String projectId = Attr.string(item, "projectId");
        String name = Attr.string(item, "name");
        String slug = Attr.string(item, "slug");
        long version = Attr.number(item, "version");
        Instant createdAt = Attr.instant(item, "createdAt");
        Instant updatedAt = firstOf(Attr.instant(item, "updatedAt"), Attr.instant(item, "changedAt"), createdAt);
        return new Project(ProjectId.of(projectId), Attr.string(item, "teamId"), name == null ? projectId : name,
                slug == null ? projectId : slug, Attr.string(item, "repository"), Attr.string(item, "productionBranch"),
                BuildSettingsAttributes.read(item), deploySettings(item), sleepPolicy(item), version == 0 ? 1 : version,
                createdAt, updatedAt);
    }

    /** True when the API wrote the project: its slug is claimed and the team counts it. */
    static boolean listed(Map<String, AttributeValue> item) {
        return item.containsKey("slug");
    }

    static Map<String, AttributeValue> slugClaim(Project project) {
        Map<String, AttributeValue> item = base(slugKey(project.teamId(), project.slug()), "slugClaim");
        item.put("projectId", Attr.s(project.projectId().value()));
        return item;
    }

    /**
     * The project's repository link, with the attributes {@link ProjectRegistry} gives it but the
     * installation, which builds record once a delivery names it.
     */
    static Map<String, AttributeValue> link(Project project) {
        Map<String, AttributeValue> item = base(linkKey(project.repository(), project.projectId()), "repoLink");
        item.put("projectId", Attr.s(project.projectId().value()));
        item.put("teamId", Attr.s(project.teamId()));
        item.put("repository", Attr.s(project.repository()));
        item.put("productionBranch", Attr.s(project.productionBranch()));
        BuildSettingsAttributes.write(project.build(), item);
        return item;
    }

    /** A stored role: written by {@link #item(Member)}, so anything else is a bug, not a bad request. */
    private static Role role(Map<String, AttributeValue> item) {
        return Role.valueOf(Attr.string(item, "role").toUpperCase(Locale.ROOT));
    }

    private static DeploySettings deploySettings(Map<String, AttributeValue> item) {
        DeploySettings defaults = DeploySettings.DEFAULTS;
        AttributeValue command = item.get("command");
        return new DeploySettings(
                item.containsKey("port") ? (int) Attr.number(item, "port") : defaults.port(),
                firstOf(Attr.string(item, "healthCheckPath"), defaults.healthCheckPath()),
                item.containsKey("cpu") ? (int) Attr.number(item, "cpu") : defaults.cpu(),
                item.containsKey("memoryMiB") ? (int) Attr.number(item, "memoryMiB") : defaults.memoryMiB(),
                command != null && command.hasL() ? command.l().stream().map(AttributeValue::s).toList() : defaults.command());
    }

    private static SleepPolicy sleepPolicy(Map<String, AttributeValue> item) {
        SleepPolicy defaults = SleepPolicy.DEFAULTS;
        String sleepAfter = Attr.string(item, "sleepAfter");
        String expireAfter = Attr.string(item, "expireAfter");
        return new SleepPolicy(sleepAfter == null ? defaults.sleepAfter() : Duration.parse(sleepAfter),
                expireAfter == null ? defaults.expireAfter() : Duration.parse(expireAfter),
                item.containsKey("maxActivePreviews") ? (int) Attr.number(item, "maxActivePreviews")
                        : defaults.maxActivePreviews());
    }

    private static Map<String, AttributeValue> base(Map<String, AttributeValue> key, String type) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("type", Attr.s(type));
        item.put("version", Attr.n(1));
        return item;
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, Attr.s(value));
        }
    }

    @SafeVarargs
    private static <T> T firstOf(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
