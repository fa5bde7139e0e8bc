package dev.platform.functions.deployer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platform.aws.dynamodb.DynamoApiStore;
import dev.platform.aws.dynamodb.DynamoDeploymentStateStore;
import dev.platform.aws.dynamodb.ProjectRegistry;
import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.Accounts.Invitation;
import dev.platform.core.api.Accounts.InvitationStatus;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.Accounts.Team;
import dev.platform.core.api.Accounts.User;
import dev.platform.core.api.ApiStore.Accepted;
import dev.platform.core.api.ApiStore.Conflict;
import dev.platform.core.api.Page;
import dev.platform.core.api.Project;
import dev.platform.core.api.Role;
import dev.platform.core.build.BuildSettings;
import dev.platform.core.deploy.DeploySettings;
import dev.platform.core.ids.InstallationId;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.orchestration.ProjectLink;
import dev.platform.core.sleep.SleepPolicy;
import dev.platform.embedded.EmbeddedDynamoDb;
import dev.platform.embedded.EmbeddedPlatform;
import dev.platform.embedded.LocalClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The REST API's store on DynamoDB Local: uniqueness claims, the owners' and projects' counts that
 * guard the last owner and a team with projects, revisions, repository links the webhook path reads,
 * pagination and the audit log. The API's rules themselves are tested in the core.
 */
class DynamoApiStoreTest {
    private static final Instant T0 = Instant.parse("2027-01-10T09:00:00Z");
    private static EmbeddedDynamoDb embedded;
    private static DynamoDbClient dynamoDb;
    private static int tables;
    private String table;
    private DynamoApiStore store;
    private int audits;

    @BeforeAll
    static void start() {
        embedded = EmbeddedDynamoDb.inMemory();
        dynamoDb = LocalClients.dynamoDb(embedded.endpoint());
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        embedded.close();
    }

    @BeforeEach
    void newTable() {
        table = "api" + (++tables);
        EmbeddedPlatform.createTable(dynamoDb, table);
        store = new DynamoApiStore(dynamoDb, table);
    }

    @Test
    void theCursorKeyIsMadeOnceAndKept() {
        byte[] key = store.cursorKey();
        assertEquals(32, key.length);
        assertArrayEquals(key, store.cursorKey());
        assertArrayEquals(key, new DynamoApiStore(dynamoDb, table).cursorKey(), "another instance reads the same key");
    }

    @Test
    void usersAreFoundByIdAndEmailAndAnEmailBelongsToOneUser() {
        User ada = new User("u-ada", "Ada", "Ada@Example.com", T0);
        ApiToken first = token("t-1", "u-ada", T0, null);
        store.createUser(ada, first, Optional.empty());

        assertEquals(Optional.of(ada), store.user("u-ada"));
        assertEquals(Optional.of(ada), store.userByEmail("ada@example.COM"), "emails are claimed in lower case");
        assertEquals(Optional.of(first), store.tokenByHash(first.hash()));
        assertEquals(Optional.empty(), store.user("u-nobody"));

        Conflict taken = assertThrows(Conflict.class, () -> store.createUser(new User("u-other", "Other", "ADA@example.com", T0),
                token("t-2", "u-other", T0, null), Optional.empty()));
        assertTrue(taken.getMessage().contains("email"), taken.getMessage());
        assertEquals(Optional.empty(), store.user("u-other"), "nothing of a refused user is written");
        assertEquals(Optional.empty(), store.tokenByHash(token("t-2", "u-other", T0, null).hash()));
    }

    @Test
    void tokensListNewestFirstAreTouchedAtMostOncePerWindowAndRevokedForGood() {
        ApiToken first = token("t-1", "u-ada", T0, T0.plus(Duration.ofDays(30)));
        store.createUser(new User("u-ada", "Ada", "ada@example.com", T0), first, Optional.empty());
        ApiToken second = token("t-2", "u-ada", T0.plusSeconds(60), null);
        ApiToken third = token("t-3", "u-ada", T0.plusSeconds(120), null);
        store.createToken(second, List.of());
        store.createToken(third, List.of());
        assertThrows(Conflict.class, () -> store.createToken(second, List.of()));

        assertEquals(List.of("t-3", "t-2", "t-1"), all(after -> store.tokens("u-ada", after, 2)).stream()
                .map(ApiToken::tokenId).toList());
        assertEquals(Optional.of(first), store.token("u-ada", "t-1"));
        assertEquals(first.expiresAt(), store.tokenByHash(first.hash()).orElseThrow().expiresAt());
        assertEquals(Optional.empty(), store.token("u-other", "t-1"), "only the user's own tokens");

        Instant now = T0.plusSeconds(3600);
        store.touchToken(first, now, now.minusSeconds(60));
        assertEquals(now, lastUsed(first));
        store.touchToken(first, now.plusSeconds(10), now.plusSeconds(10).minusSeconds(60));
        assertEquals(now, lastUsed(first), "a use within the minute is not recorded again");
        Instant later = now.plusMillis(60_500);
        store.touchToken(first, later, later.minusSeconds(60));
        assertEquals(later, lastUsed(first), "a use after the window is");

        store.revokeToken(first, List.of());
        assertEquals(Optional.empty(), store.tokenByHash(first.hash()));
        assertEquals(Optional.empty(), store.token("u-ada", "t-1"));
        store.touchToken(first, later.plusSeconds(3600), later.plusSeconds(3540));
        assertEquals(Optional.empty(), store.tokenByHash(first.hash()), "touching a revoked token does not bring it back");
    }

    @Test
    void theLastOwnerCanNeitherBeDemotedNorRemovedUntilTheTeamHasAnother() {
        Member ada = member("team-1", "u-ada", Role.OWNER);
        store.createTeam(new Team("team-1", "Team", T0), ada, audit("team-1", "team.create", "team-1"));
        assertEquals(Optional.of(new Team("team-1", "Team", T0)), store.team("team-1"));
        assertEquals(Optional.of(ada), store.member("team-1", "u-ada"));
        assertEquals(List.of(ada), store.memberships("u-ada", null, 10).items());

        Conflict demote = assertThrows(Conflict.class, () -> store.changeRole(ada, Role.ADMIN, audit("team-1", "member.role", "u-ada")));
        assertTrue(demote.getMessage().contains("last owner"), demote.getMessage());
        assertThrows(Conflict.class, () -> store.removeMember(ada, audit("team-1", "member.remove", "u-ada")));
        assertEquals(Optional.of(ada), store.member("team-1", "u-ada"));

        Member bob = member("team-1", "u-bob", Role.ADMIN);
        store.addMember(bob, audit("team-1", "member.add", "u-bob"));
        assertThrows(Conflict.class, () -> store.addMember(bob, audit("team-1", "member.add", "u-bob")), "already a member");
        store.changeRole(bob, Role.OWNER, audit("team-1", "member.role", "u-bob"));
        store.changeRole(ada, Role.ADMIN, audit("team-1", "member.role", "u-ada"));
        assertEquals(Role.ADMIN, store.member("team-1", "u-ada").orElseThrow().role());

        Conflict meanwhile = assertThrows(Conflict.class, () -> store.changeRole(ada, Role.VIEWER, audit("team-1", "member.role", "u-ada")));
        assertTrue(meanwhile.getMessage().contains("changed meanwhile"), meanwhile.getMessage());
        Member bobOwner = bob.withRole(Role.OWNER);
        assertThrows(Conflict.class, () -> store.changeRole(bobOwner, Role.VIEWER, audit("team-1", "member.role", "u-bob")),
                "bob is now the last owner");
        assertThrows(Conflict.class, () -> store.removeMember(bob, audit("team-1", "member.remove", "u-bob")),
                "removing on a stale role is refused");
        store.removeMember(ada.withRole(Role.ADMIN), audit("team-1", "member.remove", "u-ada"));
        assertEquals(Optional.empty(), store.member("team-1", "u-ada"));
        assertEquals(List.of(), store.memberships("u-ada", null, 10).items());
    }

    @Test
    void ofTwoOwnersDemotedFromTheSameReadingOnlyTheFirstSucceeds() {
        Member ada = member("team-1", "u-ada", Role.OWNER);
        Member bob = member("team-1", "u-bob", Role.OWNER);
        store.createTeam(new Team("team-1", "Team", T0), ada, audit("team-1", "team.create", "team-1"));
        store.addMember(bob, audit("team-1", "member.add", "u-bob"));

        store.changeRole(ada, Role.ADMIN, audit("team-1", "member.role", "u-ada"));
        assertThrows(Conflict.class, () -> store.changeRole(ada, Role.ADMIN, audit("team-1", "member.role", "u-ada")),
                "the same demotion again: the role changed meanwhile");
        assertThrows(Conflict.class, () -> store.changeRole(bob, Role.ADMIN, audit("team-1", "member.role", "u-bob")),
                "the other owner is now the last");
        assertEquals(Role.OWNER, store.member("team-1", "u-bob").orElseThrow().role());
    }

    @Test
    void anInvitationIsAcceptedOnceAndCountsANewOwner() {
        Member ada = member("team-1", "u-ada", Role.OWNER);
        store.createTeam(new Team("team-1", "Team", T0), ada, audit("team-1", "team.create", "team-1"));
        Invitation developer = invitation("inv-1", "team-1", "cy@example.com", Role.DEVELOPER, T0);
        Invitation owner = invitation("inv-2", "team-1", "dee@example.com", Role.OWNER, T0.plusSeconds(1));
        Invitation cancelled = invitation("inv-3", "team-1", "eve@example.com", Role.VIEWER, T0.plusSeconds(2));
        for (Invitation invitation : List.of(developer, owner, cancelled)) {
            store.createInvitation(invitation, audit("team-1", "invitation.create", invitation.invitationId()));
        }
        assertThrows(Conflict.class, () -> store.createInvitation(invitation("inv-9", "team-gone", "x@example.com", Role.VIEWER, T0),
                audit("team-gone", "invitation.create", "inv-9")), "no invitations to a team that does not exist");
        assertEquals(List.of("inv-3", "inv-2", "inv-1"), store.invitations("team-1", null, 10).items().stream()
                .map(Invitation::invitationId).toList());
        assertEquals(Optional.of(developer), store.invitationByHash(developer.hash()));
        assertEquals(Optional.of(developer), store.invitation("team-1", "inv-1"));

        store.cancelInvitation(cancelled, audit("team-1", "invitation.cancel", "inv-3"));
        assertThrows(Conflict.class, () -> store.cancelInvitation(cancelled, audit("team-1", "invitation.cancel", "inv-3")));

        Member cy = member("team-1", "u-cy", Role.DEVELOPER);
        store.acceptInvitation(new Accepted(developer, cy, audit("team-1", "invitation.accept", "inv-1")));
        assertEquals(Optional.of(cy), store.member("team-1", "u-cy"));
        Conflict twice = assertThrows(Conflict.class, () -> store.acceptInvitation(new Accepted(developer,
                member("team-1", "u-other", Role.DEVELOPER), audit("team-1", "invitation.accept", "inv-1"))));
        assertTrue(twice.getMessage().contains("no longer pending"), twice.getMessage());
        assertEquals(Optional.empty(), store.member("team-1", "u-other"));
        assertEquals(InvitationStatus.ACCEPTED, store.invitation("team-1", "inv-1").orElseThrow().status());

        // a new user accepts with their sign-up: user, token and membership in one transaction
        User dee = new User("u-dee", "Dee", "dee@example.com", T0);
        Member deeOwner = member("team-1", "u-dee", Role.OWNER);
        store.createUser(dee, token("t-dee", "u-dee", T0, null),
                Optional.of(new Accepted(owner, deeOwner, audit("team-1", "invitation.accept", "inv-2"))));
        assertEquals(Optional.of(dee), store.user("u-dee"));
        assertEquals(Optional.of(deeOwner), store.member("team-1", "u-dee"));
        assertEquals(List.of(), store.invitations("team-1", null, 10).items(), "none pending any more");
        store.changeRole(ada, Role.ADMIN, audit("team-1", "member.role", "u-ada"));
        assertEquals(Role.ADMIN, store.member("team-1", "u-ada").orElseThrow().role(), "the accepted owner counts");
    }

    @Test
    void projectsClaimTheirSlugKeepTheirRevisionAndMoveTheirRepositoryLink() {
        store.createTeam(new Team("team-1", "Team", T0), member("team-1", "u-ada", Role.OWNER), audit("team-1", "team.create", "team-1"));
        Project web = project("web-id", "team-1", "web", "Acme/Web");
        store.createProject(web, audit("team-1", "project.create", "web-id"));
        assertEquals(Optional.of(web), store.project(ProjectId.of("web-id")));
        Conflict slug = assertThrows(Conflict.class, () -> store.createProject(project("other-id", "team-1", "web", "acme/other"),
                audit("team-1", "project.create", "other-id")));
        assertTrue(slug.getMessage().contains("'web'"), slug.getMessage());
        assertEquals(Optional.empty(), store.project(ProjectId.of("other-id")));
        assertEquals(List.of("web-id"), projectIdsOf("acme/web"), "the webhook path finds it by its repository");
        ProjectRegistry registry = new ProjectRegistry(dynamoDb, table);
        // the deployer and the sleep sweep read the project's own deploy settings and preview policy from its item
        assertEquals(new ProjectLink(ProjectId.of("web-id"), "team-1", "Acme/Web", "main", web.build(), null, web.deploy(),
                web.previews()), registry.project(ProjectId.of("web-id")).orElseThrow());

        // builds record the installation; a change that keeps the repository keeps it
        registry.setInstallation(registry.project(ProjectId.of("web-id")).orElseThrow(), InstallationId.of(42));
        Project renamed = changed(web, "Web app", "web", "Acme/Web", "release");
        store.updateProject(web, renamed, audit("team-1", "project.update", "web-id"));
        Project stored = store.project(ProjectId.of("web-id")).orElseThrow();
        assertEquals(2, stored.revision());
        assertEquals("Web app", stored.name());
        Conflict stale = assertThrows(Conflict.class, () -> store.updateProject(web, changed(web, "Stale", "web", "Acme/Web", "main"),
                audit("team-1", "project.update", "web-id")));
        assertTrue(stale.getMessage().contains("revision 1"), stale.getMessage());
        ProjectLink link = new DynamoDeploymentStateStore(dynamoDb, table).projectsOf("acme/web").getFirst();
        assertEquals("release", link.productionBranch());
        assertEquals(InstallationId.of(42), link.installation());

        // another repository: the link moves, the installation (of the old repository) stays behind
        store.createProject(project("api-id", "team-1", "api", "acme/api"), audit("team-1", "project.create", "api-id"));
        Project moved = changed(stored, "Web app", "site", "Acme/Site", "release");
        assertThrows(Conflict.class, () -> store.updateProject(stored, changed(stored, "Web app", "api", "Acme/Web", "release"),
                audit("team-1", "project.update", "web-id")), "the slug api is taken");
        store.updateProject(stored, moved, audit("team-1", "project.update", "web-id"));
        assertEquals(List.of(), projectIdsOf("acme/web"));
        assertEquals(List.of("web-id"), projectIdsOf("acme/site"));
        ProjectLink movedLink = registry.project(ProjectId.of("web-id")).orElseThrow();
        assertEquals("Acme/Site", movedLink.repository());
        assertNull(movedLink.installation());
        assertEquals(List.of("api", "site"), store.projects("team-1", null, 10).items().stream().map(Project::slug).toList());
        // the old slug is free again
        store.createProject(project("web2-id", "team-1", "web", "acme/web"), audit("team-1", "project.create", "web2-id"));

        // a team with projects stays; a project goes with its slug and link
        Team team = store.team("team-1").orElseThrow();
        Conflict hasProjects = assertThrows(Conflict.class, () -> store.deleteTeam(team, audit("team-1", "team.delete", "team-1")));
        assertTrue(hasProjects.getMessage().contains("still has projects"), hasProjects.getMessage());
        Project current = store.project(ProjectId.of("web-id")).orElseThrow();
        assertThrows(Conflict.class, () -> store.deleteProject(stored, audit("team-1", "project.delete", "web-id")), "stale revision");
        for (String id : List.of("web-id", "api-id", "web2-id")) {
            store.deleteProject(store.project(ProjectId.of(id)).orElseThrow(), audit("team-1", "project.delete", id));
        }
        assertEquals(Optional.empty(), store.project(ProjectId.of("web-id")));
        assertEquals(Optional.empty(), item("TEAM#team-1", "SLUG#" + current.slug()));
        assertEquals(List.of(), projectIdsOf("acme/site"));
        assertEquals(List.of(), store.projects("team-1", null, 10).items());
        store.createProject(project("site-id", "team-1", "site", "acme/site"), audit("team-1", "project.create", "site-id"));
        store.deleteProject(store.project(ProjectId.of("site-id")).orElseThrow(), audit("team-1", "project.delete", "site-id"));

        store.createInvitation(invitation("inv-1", "team-1", "cy@example.com", Role.VIEWER, T0), audit("team-1", "invitation.create", "inv-1"));
        store.deleteTeam(team, audit("team-1", "team.delete", "team-1"));
        assertEquals(Optional.empty(), store.team("team-1"));
        assertEquals(Optional.empty(), store.member("team-1", "u-ada"));
        assertEquals(List.of(), store.memberships("u-ada", null, 10).items());
        assertEquals(Optional.empty(), store.invitationByHash(invitation("inv-1", "team-1", "cy@example.com", Role.VIEWER, T0).hash()));
        assertEquals("team.delete", store.audit("team-1", null, null, null, 1).items().getFirst().action(), "the audit log stays");
    }

    @Test
    void aProjectTheRegistryWroteReadsWithDefaultsAndJoinsItsTeamsListOnItsFirstUpdate() {
        ProjectRegistry registry = new ProjectRegistry(dynamoDb, table);
        registry.register("Demo", new ProjectLink(ProjectId.of("hello"), "demo-team", "Demo/Hello", "main"), T0);

        Project hello = store.project(ProjectId.of("hello")).orElseThrow();
        assertEquals(new Project(ProjectId.of("hello"), "demo-team", "hello", "hello", "Demo/Hello", "main",
                BuildSettings.DEFAULTS, DeploySettings.DEFAULTS, SleepPolicy.DEFAULTS, 1, T0, T0), hello);
        assertEquals("Demo", store.team("demo-team").orElseThrow().name());
        assertEquals(List.of(), store.projects("demo-team", null, 10).items(), "not listed before the API took it in");

        Project named = changed(hello, "Hello", "hello-app", "Demo/Hello", "main");
        store.updateProject(hello, named, audit("demo-team", "project.update", "hello"));
        assertEquals(List.of("hello-app"), store.projects("demo-team", null, 10).items().stream().map(Project::slug).toList());
        assertThrows(Conflict.class, () -> store.deleteTeam(store.team("demo-team").orElseThrow(),
                audit("demo-team", "team.delete", "demo-team")), "the team now counts it");
        store.deleteProject(store.project(ProjectId.of("hello")).orElseThrow(), audit("demo-team", "project.delete", "hello"));
        store.deleteTeam(store.team("demo-team").orElseThrow(), audit("demo-team", "team.delete", "demo-team"));
    }

    @Test
    void previewNumbersAreEveryPreviewOfTheProject() {
        for (String sk : List.of("PREVIEW#3", "PREVIEW#12", "ENV#preview#3", "PRODUCTION")) {
            dynamoDb.putItem(r -> r.tableName(table).item(Map.of("PK", AttributeValue.fromS("PROJECT#app"),
                    "SK", AttributeValue.fromS(sk), "type", AttributeValue.fromS("preview"))));
        }
        dynamoDb.putItem(r -> r.tableName(table).item(Map.of("PK", AttributeValue.fromS("PROJECT#other"),
                "SK", AttributeValue.fromS("PREVIEW#4"))));
        assertEquals(Set.of(PrNumber.of(3), PrNumber.of(12)), Set.copyOf(store.previewNumbers(ProjectId.of("app"))));
    }

    @Test
    void pagesReturnEveryItemOnceAndTheLastSaysSo() {
        store.createTeam(new Team("team-1", "Team", T0), member("team-1", "u-0", Role.OWNER), audit("team-1", "team.create", "team-1"));
        for (int n = 1; n < 9; n++) {
            store.addMember(member("team-1", "u-" + n, Role.VIEWER), audit("team-1", "member.add", "u-" + n));
        }
        List<Page<Member>> pages = pages(after -> store.members("team-1", after, 3));
        assertEquals(List.of(3, 3, 3), pages.stream().map(page -> page.items().size()).toList());
        assertNull(pages.getLast().after(), "nine members in pages of three: the third page is the last");
        assertEquals(List.of("u-0", "u-1", "u-2", "u-3", "u-4", "u-5", "u-6", "u-7", "u-8"),
                pages.stream().flatMap(page -> page.items().stream()).map(Member::userId).toList());

        for (String slug : List.of("e", "c", "a", "d", "b")) {
            store.createProject(project(slug + "-id", "team-1", slug, "acme/" + slug), audit("team-1", "project.create", slug));
        }
        List<Page<Project>> projects = pages(after -> store.projects("team-1", after, 2));
        assertEquals(3, projects.size());
        assertEquals(List.of("a", "b", "c", "d", "e"), projects.stream().flatMap(page -> page.items().stream())
                .map(Project::slug).toList());
    }

    @Test
    void theAuditLogListsNewestFirstFilteredAcrossPages() {
        List<AuditEntry> entries = new ArrayList<>();
        for (int n = 0; n < 7; n++) {
            AuditEntry entry = new AuditEntry(String.format("a%05d", n), "team-1", "u-ada", "t-1",
                    n % 2 == 0 ? "member.add" : "project.update", n < 4 ? "u-bob" : "u-cy", T0.plusSeconds(n), "req-" + n,
                    "succeeded");
            store.appendAudit(entry);
            entries.add(entry);
        }
        store.appendAudit(new AuditEntry("a00000", "team-2", "u-x", null, "member.add", null, T0, null, "denied"));

        assertEquals(entries.reversed(), all(after -> store.audit("team-1", null, null, after, 3)));
        List<Page<AuditEntry>> added = pages(after -> store.audit("team-1", "member.add", null, after, 2));
        assertEquals(List.of("a00006", "a00004", "a00002", "a00000"), added.stream().flatMap(page -> page.items().stream())
                .map(AuditEntry::auditId).toList());
        assertTrue(added.stream().allMatch(page -> !page.items().isEmpty()), "no filtered page is empty while more exist");
        Page<AuditEntry> bob = store.audit("team-1", null, "u-bob", null, 2);
        assertEquals(List.of("a00003", "a00002"), bob.items().stream().map(AuditEntry::auditId).toList());
        assertEquals(List.of("a00001", "a00000"), store.audit("team-1", null, "u-bob", bob.after(), 2).items().stream()
                .map(AuditEntry::auditId).toList());
        assertEquals(List.of("a00006", "a00004"), store.audit("team-1", "member.add", "u-cy", null, 10).items().stream()
                .map(AuditEntry::auditId).toList());
        AuditEntry denied = store.audit("team-2", null, null, null, 10).items().getFirst();
        assertNull(denied.tokenId());
        assertEquals("denied", denied.outcome());
    }

    @Test
    void aFilterThatMatchesLittleReadsABoundedAmountPerPageAndThenSaysWhereToGoOn() {
        AuditEntry match = new AuditEntry("a00000", "team-1", "u-ada", "t-1", "team.delete", "team-1", T0, "req-0", "denied");
        store.appendAudit(match);
        List<WriteRequest> others = new ArrayList<>();
        for (int n = 1; n <= 1_100; n++) {
            String sk = String.format("AUDIT#a%05d", n);
            others.add(WriteRequest.builder().putRequest(put -> put.item(Map.of(
                    "PK", AttributeValue.fromS("TEAM#team-1"), "SK", AttributeValue.fromS(sk),
                    "type", AttributeValue.fromS("audit"), "action", AttributeValue.fromS("member.add")))).build());
        }
        for (int from = 0; from < others.size(); from += 25) {
            List<WriteRequest> batch = others.subList(from, from + 25);
            dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(table, batch)));
        }

        Page<AuditEntry> first = store.audit("team-1", "team.delete", null, null, 10);
        assertEquals(List.of(), first.items(), "ten query pages of 100 found nothing");
        assertTrue(first.after() != null, "but the list goes on");
        Page<AuditEntry> second = store.audit("team-1", "team.delete", null, first.after(), 10);
        assertEquals(List.of(match), second.items());
        assertNull(second.after());
    }

    // fixtures

    private static ApiToken token(String tokenId, String userId, Instant createdAt, Instant expiresAt) {
        return new ApiToken(tokenId, "hash-" + tokenId, userId, "token " + tokenId, "plat_" + tokenId, createdAt, expiresAt, null);
    }

    private static Member member(String teamId, String userId, Role role) {
        return new Member(teamId, userId, "Name of " + userId, userId + "@example.com", role, T0);
    }

    private static Invitation invitation(String id, String teamId, String email, Role role, Instant createdAt) {
        return new Invitation(id, "hash-" + id, teamId, email, role, "u-ada", createdAt, createdAt.plus(Duration.ofDays(7)),
                InvitationStatus.PENDING);
    }

    /** Audit ids sort by time, as the API makes them. */
    private AuditEntry audit(String teamId, String action, String target) {
        int n = ++audits;
        return new AuditEntry(String.format("x%05d", n), teamId, "u-ada", "t-1", action, target, T0.plusSeconds(n),
                "req-" + n, "succeeded");
    }

    private static Project project(String id, String teamId, String slug, String repository) {
        return new Project(ProjectId.of(id), teamId, "Project " + slug, slug, repository, "main",
                new BuildSettings("app/Dockerfile", "app", "runtime", Map.of("NODE_ENV", "production")),
                new DeploySettings(8080, "/health", 512, 1024, List.of("node", "server.js")),
                new SleepPolicy(Duration.ofMinutes(15), Duration.ofDays(3), 4), 1, T0, T0);
    }

    private static Project changed(Project project, String name, String slug, String repository, String branch) {
        return new Project(project.projectId(), project.teamId(), name, slug, repository, branch, project.build(),
                project.deploy(), project.previews(), project.revision() + 1, project.createdAt(), T0.plusSeconds(600));
    }

    private Instant lastUsed(ApiToken token) {
        return store.tokenByHash(token.hash()).orElseThrow().lastUsedAt();
    }

    private List<String> projectIdsOf(String repositoryKey) {
        return new DynamoDeploymentStateStore(dynamoDb, table).projectsOf(repositoryKey).stream()
                .map(link -> link.projectId().value()).toList();
    }

    private Optional<Map<String, AttributeValue>> item(String pk, String sk) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** Every page of a list, following {@code after} (at most 20 pages). */
    private static <T> List<Page<T>> pages(Function<String, Page<T>> list) {
        List<Page<T>> pages = new ArrayList<>();
        String after = null;
        do {
            Page<T> page = list.apply(after);
            pages.add(page);
            after = page.after();
            assertTrue(pages.size() <= 20, "the list ends");
        } while (after != null);
        return pages;
    }

    private static <T> List<T> all(Function<String, Page<T>> list) {
        return pages(list).stream().flatMap(page -> page.items().stream()).toList();
    }
}
