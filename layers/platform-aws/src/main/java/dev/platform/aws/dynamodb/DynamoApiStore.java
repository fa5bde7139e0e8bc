package dev.platform.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.platform.core.api.Accounts.ApiToken;
import dev.platform.core.api.Accounts.AuditEntry;
import dev.platform.core.api.Accounts.Invitation;
import dev.platform.core.api.Accounts.InvitationStatus;
import dev.platform.core.api.Accounts.Member;
import dev.platform.core.api.Accounts.Team;
import dev.platform.core.api.Accounts.User;
import dev.platform.core.api.ApiStore;
import dev.platform.core.api.Page;
import dev.platform.core.api.Project;
import dev.platform.core.api.Role;
import dev.platform.core.config.EnvScope;
import dev.platform.core.config.EnvVar;
import dev.platform.core.config.EnvVarKey;
import dev.platform.core.config.EnvVarStore;
import dev.platform.core.config.EnvVarVersion;
import dev.platform.core.ids.PrNumber;
import dev.platform.core.ids.ProjectId;
import dev.platform.core.json.Json;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The REST API's store in the single table, mapped by {@link ApiItemMapper} (layout in
 * docs/design-notes.md). Every mutation and its audit entry are one transaction; each conditional
 * part of it names the {@link ApiStore.Conflict} its failure means. Projects stay readable by
 * {@link ProjectRegistry} and the webhook path: same item, same repository link.
 */
public final class DynamoApiStore implements ApiStore, EnvVarStore {
    /** The largest page a list returns. */
    static final int MAX_PAGE = 100;
    /** A filtered list reads at most this many query pages per call, then answers with the position it reached. */
    static final int MAX_READS = 10;
    private static final List<String> TABLE_KEY = List.of(Keys.PK, Keys.SK);
    private static final List<String> GSI1_KEY = List.of(Keys.PK, Keys.SK, "GSI1PK", "GSI1SK");
    private static final String GSI1 = "GSI1";
    private static final int BATCH = 25;

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    /** Made once per table and never changed: read once per instance (SnapStart captures it with the handler). */
    private volatile byte[] cursorKey;

    public DynamoApiStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public byte[] cursorKey() {
        byte[] key = cursorKey;
        if (key == null) {
            key = loadCursorKey();
            cursorKey = key;
        }
        return key.clone();
    }

    /** Read first: the key exists but on the platform's very first request, and a failed conditional put is billed too. */
    private byte[] loadCursorKey() {
        Map<String, AttributeValue> key = ApiItemMapper.meta(Keys.CURSOR_KEY);
        Optional<Map<String, AttributeValue>> stored = get(key);
        if (stored.isEmpty()) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Map<String, AttributeValue> item = new HashMap<>(key);
            item.put("type", Attr.s("cursorKey"));
            item.put("version", Attr.n(1));
            item.put("key", AttributeValue.fromB(SdkBytes.fromByteArray(fresh)));
            try {
                dynamoDb.putItem(r -> r.tableName(tableName).item(item).conditionExpression("attribute_not_exists(PK)"));
                return fresh;
            } catch (ConditionalCheckFailedException madeMeanwhile) {
                stored = get(key);
            }
        }
        return stored.orElseThrow(() -> new IllegalStateException("the cursor key vanished")).get("key").b().asByteArray();
    }

    // users and tokens

    @Override
    public Optional<User> user(String userId) {
        return get(ApiItemMapper.meta(Keys.user(userId))).map(ApiItemMapper::user);
    }

    @Override
    public Optional<User> userByEmail(String email) {
        return get(ApiItemMapper.meta(Keys.email(email))).flatMap(claim -> user(Attr.string(claim, "userId")));
    }

    @Override
    public void createUser(User user, ApiToken token, Optional<Accepted> invitation) {
        Transaction transaction = new Transaction()
                .putNew(ApiItemMapper.item(user), "user " + user.userId() + " already exists")
                .putNew(ApiItemMapper.emailClaim(user), "a user with the email " + user.email() + " already exists")
                .putNew(ApiItemMapper.item(token), "the token already exists");
        invitation.ifPresent(accepted -> accept(transaction, accepted));
        transaction.commit();
    }

    @Override
    public Optional<ApiToken> tokenByHash(String hash) {
        return get(ApiItemMapper.meta(Keys.token(hash))).map(ApiItemMapper::token);
    }

    @Override
    public void createToken(ApiToken token, List<AuditEntry> audits) {
        Transaction transaction = new Transaction().putNew(ApiItemMapper.item(token), "the token already exists");
        audits.forEach(audit -> transaction.put(ApiItemMapper.item(audit)));
        transaction.commit();
    }

    /** One conditional write, failed (and so not written) when a use since {@code notBefore} is recorded. */
    @Override
    public void touchToken(ApiToken token, Instant now, Instant notBefore) {
        UpdateExpression update = new UpdateExpression()
                .set(ApiItemMapper.comparableTime(now), "lastUsedAt")
                .conditionPresent(Keys.PK)
                .conditionAbsentOrLessThan("lastUsedAt", ApiItemMapper.comparableTime(notBefore));
        try {
            dynamoDb.updateItem(r -> update.applyTo(r.tableName(tableName).key(ApiItemMapper.meta(Keys.token(token.hash())))));
        } catch (ConditionalCheckFailedException recentOrRevoked) {
            // used within the window (or revoked meanwhile): nothing to record
        }
    }

    @Override
    public Page<ApiToken> tokens(String userId, String after, int limit) {
        return page(gsi1(Keys.userTokens(userId)).scanIndexForward(false).build(), GSI1_KEY, after, limit,
                ApiItemMapper::token);
    }

    /** A user has a handful of tokens: their list, filtered, beats a second item per token. */
    @Override
    public Optional<ApiToken> token(String userId, String tokenId) {
        return first(gsi1(Keys.userTokens(userId)).filterExpression("#id = :id")
                .expressionAttributeNames(Map.of("#id", "tokenId"))
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.userTokens(userId)), ":id", Attr.s(tokenId)))
                .build()).map(ApiItemMapper::token);
    }

    @Override
    public void revokeToken(ApiToken token, List<AuditEntry> audits) {
        Transaction transaction = new Transaction().delete(ApiItemMapper.meta(Keys.token(token.hash())));
        audits.forEach(audit -> transaction.put(ApiItemMapper.item(audit)));
        transaction.commit();
    }

    @Override
    public List<PrNumber> previewNumbers(ProjectId projectId) {
        List<PrNumber> numbers = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(tableName).consistentRead(true)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.project(projectId)),
                                ":sk", Attr.s(Keys.PREVIEW_PREFIX)))
                        .projectionExpression("SK"))
                .items().forEach(item -> numbers.add(PrNumber.of(Integer.parseInt(
                        Attr.string(item, Keys.SK).substring(Keys.PREVIEW_PREFIX.length())))));
        return numbers;
    }

    // teams and members

    @Override
    public void createTeam(Team team, Member owner, AuditEntry audit) {
        new Transaction()
                .putNew(ApiItemMapper.item(team, owner.role() == Role.OWNER ? 1 : 0), "team " + team.teamId() + " already exists")
                .putNew(ApiItemMapper.item(owner), owner.userId() + " is already a member of the team")
                .put(ApiItemMapper.item(audit))
                .commit();
    }

    @Override
    public Optional<Team> team(String teamId) {
        return get(ApiItemMapper.meta(Keys.team(teamId))).map(ApiItemMapper::team);
    }

    @Override
    public Page<Member> memberships(String userId, String after, int limit) {
        return page(gsi1(Keys.user(userId)).build(), GSI1_KEY, after, limit, ApiItemMapper::member);
    }

    @Override
    public void renameTeam(Team team, AuditEntry audit) {
        new Transaction()
                .update(ApiItemMapper.meta(Keys.team(team.teamId())), new UpdateExpression()
                        .set(Attr.s(team.name()), "name").add("version", 1).conditionPresent(Keys.PK),
                        "the team no longer exists")
                .put(ApiItemMapper.item(audit))
                .commit();
    }

    /**
     * The team item goes in one transaction with the audit entry, on condition that it counts no
     * projects; then its memberships and invitations, in batches (a transaction holds at most 100
     * items). The audit log stays: it records who deleted the team.
     */
    @Override
    public void deleteTeam(Team team, AuditEntry audit) {
        new Transaction()
                .delete(ApiItemMapper.meta(Keys.team(team.teamId())), new UpdateExpression()
                        .conditionPresent(Keys.PK).conditionAbsentOrEquals("projects", Attr.n(0)),
                        "the team still has projects (or was deleted meanwhile)")
                .put(ApiItemMapper.item(audit))
                .commit();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(tableName).consistentRead(true)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.team(team.teamId())),
                                ":sk", Attr.s(Keys.MEMBER_PREFIX)))
                        .projectionExpression("PK, SK"))
                .items().forEach(keys::add);
        dynamoDb.queryPaginator(r -> r.tableName(tableName).indexName(GSI1)
                        .keyConditionExpression("GSI1PK = :pk")
                        .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.teamInvitations(team.teamId()))))
                        .projectionExpression("PK, SK"))
                .items().forEach(keys::add);
        deleteAll(keys);
    }

    @Override
    public Optional<Member> member(String teamId, String userId) {
        return get(ApiItemMapper.memberKey(teamId, userId)).map(ApiItemMapper::member);
    }

    /** Sorted by user id, the order of the sort keys. */
    @Override
    public Page<Member> members(String teamId, String after, int limit) {
        return page(QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.team(teamId)), ":sk", Attr.s(Keys.MEMBER_PREFIX)))
                .build(), TABLE_KEY, after, limit, ApiItemMapper::member);
    }

    @Override
    public void addMember(Member member, AuditEntry audit) {
        Transaction transaction = new Transaction()
                .putNew(ApiItemMapper.item(member), member.userId() + " is already a member of the team");
        owners(transaction, member.teamId(), member.role() == Role.OWNER ? 1 : 0, true);
        transaction.put(ApiItemMapper.item(audit)).commit();
    }

    /** The team's {@code owners} count moves with the role in the same transaction, and never below one. */
    @Override
    public void changeRole(Member current, Role newRole, AuditEntry audit) {
        Transaction transaction = new Transaction()
                .update(ApiItemMapper.memberKey(current.teamId(), current.userId()), new UpdateExpression()
                        .set(Attr.s(newRole.wireName()), "role").add("version", 1)
                        .conditionPresent(Keys.PK).conditionEquals("role", Attr.s(current.role().wireName())),
                        "the role of " + current.userId() + " changed meanwhile, or they left the team");
        owners(transaction, current.teamId(), ownerCount(newRole) - ownerCount(current.role()), false);
        transaction.put(ApiItemMapper.item(audit)).commit();
    }

    @Override
    public void removeMember(Member member, AuditEntry audit) {
        // on the role it had when read: an admin made owner meanwhile must not leave the owners' count behind
        Transaction transaction = new Transaction()
                .delete(ApiItemMapper.memberKey(member.teamId(), member.userId()), new UpdateExpression()
                        .conditionEquals("role", Attr.s(member.role().wireName())),
                        member.userId() + " left the team or their role changed meanwhile");
        owners(transaction, member.teamId(), -ownerCount(member.role()), false);
        transaction.put(ApiItemMapper.item(audit)).commit();
    }

    private static int ownerCount(Role role) {
        return role == Role.OWNER ? 1 : 0;
    }

    /**
     * The team's part of a membership change: its owner count moved (fewer only while another owner
     * remains), or, with {@code mustExist}, a check that the team is still there.
     */
    private void owners(Transaction transaction, String teamId, int delta, boolean mustExist) {
        Map<String, AttributeValue> key = ApiItemMapper.meta(Keys.team(teamId));
        if (delta > 0) {
            transaction.update(key, new UpdateExpression().add("owners", delta).conditionPresent(Keys.PK),
                    "the team no longer exists");
        } else if (delta < 0) {
            transaction.update(key, new UpdateExpression().add("owners", delta)
                    .conditionGreaterThan("owners", Attr.n(-delta)), "the team's last owner cannot stop being one");
        } else if (mustExist) {
            transaction.check(key, new UpdateExpression().conditionPresent(Keys.PK), "the team no longer exists");
        }
    }

    // invitations

    @Override
    public void createInvitation(Invitation invitation, AuditEntry audit) {
        Transaction transaction = new Transaction()
                .putNew(ApiItemMapper.item(invitation), "the invitation already exists");
        owners(transaction, invitation.teamId(), 0, true);
        transaction.put(ApiItemMapper.item(audit)).commit();
    }

    @Override
    public Optional<Invitation> invitationByHash(String hash) {
        return get(ApiItemMapper.meta(Keys.invitation(hash))).map(ApiItemMapper::invitation);
    }

    /** The team's invitation list, filtered: invitations expire within days, so the list stays short. */
    @Override
    public Optional<Invitation> invitation(String teamId, String invitationId) {
        return first(gsi1(Keys.teamInvitations(teamId)).filterExpression("#id = :id")
                .expressionAttributeNames(Map.of("#id", "invitationId"))
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.teamInvitations(teamId)), ":id", Attr.s(invitationId)))
                .build()).map(ApiItemMapper::invitation);
    }

    @Override
    public Page<Invitation> invitations(String teamId, String after, int limit) {
        return page(gsi1(Keys.teamInvitations(teamId)).scanIndexForward(false).filterExpression("#status = :pending")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.teamInvitations(teamId)),
                        ":pending", Attr.s(InvitationStatus.PENDING.wireName())))
                .build(), GSI1_KEY, after, limit, ApiItemMapper::invitation);
    }

    @Override
    public void cancelInvitation(Invitation invitation, AuditEntry audit) {
        new Transaction()
                .update(ApiItemMapper.meta(Keys.invitation(invitation.hash())), settle(InvitationStatus.CANCELLED),
                        "the invitation is no longer pending")
                .put(ApiItemMapper.item(audit))
                .commit();
    }

    @Override
    public void acceptInvitation(Accepted accepted) {
        Transaction transaction = new Transaction();
        accept(transaction, accepted);
        transaction.commit();
    }

    /** The invitation settled, the membership written, the team's owners counted and the audit entry: or none of them. */
    private void accept(Transaction transaction, Accepted accepted) {
        Member member = accepted.member();
        transaction.update(ApiItemMapper.meta(Keys.invitation(accepted.invitation().hash())),
                        settle(InvitationStatus.ACCEPTED), "the invitation is no longer pending")
                .putNew(ApiItemMapper.item(member), member.userId() + " is already a member of the team");
        owners(transaction, member.teamId(), ownerCount(member.role()), true);
        transaction.put(ApiItemMapper.item(accepted.audit()));
    }

    private static UpdateExpression settle(InvitationStatus status) {
        return new UpdateExpression().set(Attr.s(status.wireName()), "status").add("version", 1)
                .conditionEquals("status", Attr.s(InvitationStatus.PENDING.wireName()));
    }

    // audit

    @Override
    public Page<AuditEntry> audit(String teamId, String action, String target, String after, int limit) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", Attr.s(Keys.team(teamId)),
                ":sk", Attr.s(Keys.AUDIT_PREFIX)));
        List<String> filters = new ArrayList<>();
        if (action != null) {
            names.put("#action", "action");
            values.put(":action", Attr.s(action));
            filters.add("#action = :action");
        }
        if (target != null) {
            names.put("#target", "target");
            values.put(":target", Attr.s(target));
            filters.add("#target = :target");
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)").expressionAttributeValues(values)
                .scanIndexForward(false);
        if (!filters.isEmpty()) {
            query.filterExpression(String.join(" AND ", filters)).expressionAttributeNames(names);
        }
        return page(query.build(), TABLE_KEY, after, limit, ApiItemMapper::audit);
    }

    @Override
    public void appendAudit(AuditEntry entry) {
        dynamoDb.putItem(r -> r.tableName(tableName).item(ApiItemMapper.item(entry)));
    }

    // projects

    @Override
    public void createProject(Project project, AuditEntry audit) {
        new Transaction()
                .putNew(ApiItemMapper.item(project), "a project with the id " + project.projectId() + " already exists")
                .putNew(ApiItemMapper.slugClaim(project), slugTaken(project.slug()))
                .put(ApiItemMapper.link(project))
                .update(ApiItemMapper.meta(Keys.team(project.teamId())),
                        new UpdateExpression().add("projects", 1).conditionPresent(Keys.PK), "the team no longer exists")
                .put(ApiItemMapper.item(audit))
                .commit();
    }

    @Override
    public Optional<Project> project(ProjectId projectId) {
        return get(ApiItemMapper.projectKey(projectId)).map(ApiItemMapper::project);
    }

    @Override
    public Page<Project> projects(String teamId, String after, int limit) {
        return page(gsi1(Keys.teamProjects(teamId)).build(), GSI1_KEY, after, limit, ApiItemMapper::project);
    }

    /**
     * The revision is the item's {@code version}, which {@link ProjectRegistry#relink} raises too, so a
     * relink between read and update is a conflict as well. A project {@link ProjectRegistry} wrote is
     * taken into the team's list here: its slug is claimed and the team counts it.
     */
    @Override
    public void updateProject(Project current, Project updated, AuditEntry audit) {
        if (!current.projectId().equals(updated.projectId()) || !current.teamId().equals(updated.teamId())) {
            throw new IllegalArgumentException("an update keeps the project's id and team");
        }
        Map<String, AttributeValue> stored = get(ApiItemMapper.projectKey(current.projectId()))
                .orElseThrow(() -> new Conflict("the project " + current.projectId() + " no longer exists"));
        Map<String, AttributeValue> oldLink = ApiItemMapper.linkKey(current.repository(), current.projectId());
        Map<String, AttributeValue> newLink = ApiItemMapper.linkKey(updated.repository(), updated.projectId());
        boolean sameRepository = oldLink.equals(newLink);

        UpdateExpression project = new UpdateExpression();
        Map<String, AttributeValue> attributes = ApiItemMapper.projectAttributes(updated);
        attributes.forEach((name, value) -> project.set(value, name));
        ApiItemMapper.PROJECT_OPTIONAL.stream().filter(name -> !attributes.containsKey(name)).forEach(project::remove);
        if (!sameRepository) {
            // the installation serves the old repository; the next delivery from the new one says which serves it
            project.remove("installationId");
        }
        project.set(Attr.s("project"), "type").set(Attr.n(current.revision() + 1), "version")
                .conditionEquals("version", Attr.n(current.revision()));
        Transaction transaction = new Transaction().update(ApiItemMapper.projectKey(current.projectId()), project,
                "the project changed since revision " + current.revision() + " (or was deleted)");

        boolean linkChanged = !sameRepository || !current.repository().equals(updated.repository())
                || !current.productionBranch().equals(updated.productionBranch()) || !current.build().equals(updated.build());
        if (linkChanged && sameRepository) {
            // an update, not a put: an installation recorded since the read stays on the link
            UpdateExpression link = new UpdateExpression();
            Map<String, AttributeValue> linkAttributes = ApiItemMapper.link(updated);
            linkAttributes.keySet().removeAll(newLink.keySet());
            linkAttributes.forEach((name, value) -> link.set(value, name));
            ApiItemMapper.PROJECT_OPTIONAL.stream().filter(name -> !linkAttributes.containsKey(name)).forEach(link::remove);
            transaction.update(newLink, link, null);
        } else if (linkChanged) {
            transaction.delete(oldLink).put(ApiItemMapper.link(updated));
        }
        if (!ApiItemMapper.listed(stored)) {
            transaction.putNew(ApiItemMapper.slugClaim(updated), slugTaken(updated.slug()))
                    .update(ApiItemMapper.meta(Keys.team(updated.teamId())),
                            new UpdateExpression().add("projects", 1).conditionPresent(Keys.PK), "the team no longer exists");
        } else if (!current.slug().equals(updated.slug())) {
            transaction.delete(ApiItemMapper.slugKey(current.teamId(), current.slug()))
                    .putNew(ApiItemMapper.slugClaim(updated), slugTaken(updated.slug()));
        }
        transaction.put(ApiItemMapper.item(audit)).commit();
    }

    @Override
    public void deleteProject(Project project, AuditEntry audit) {
        Map<String, AttributeValue> stored = get(ApiItemMapper.projectKey(project.projectId()))
                .orElseThrow(() -> new Conflict("the project " + project.projectId() + " no longer exists"));
        Transaction transaction = new Transaction()
                .delete(ApiItemMapper.projectKey(project.projectId()),
                        new UpdateExpression().conditionEquals("version", Attr.n(project.revision())),
                        "the project changed since revision " + project.revision() + " (or was deleted)")
                .delete(ApiItemMapper.linkKey(project.repository(), project.projectId()));
        if (ApiItemMapper.listed(stored)) {
            transaction.delete(ApiItemMapper.slugKey(project.teamId(), project.slug()))
                    .update(ApiItemMapper.meta(Keys.team(project.teamId())),
                            new UpdateExpression().add("projects", -1).conditionPresent(Keys.PK), "the team no longer exists");
        }
        transaction.put(ApiItemMapper.item(audit)).commit();
    }

    private static String slugTaken(String slug) {
        return "the team already has a project with the slug '" + slug + "'";
    }

    // reads

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(tableName).key(key).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** A GSI1 partition's query ({@code :pk} bound; a caller that sets more values binds {@code :pk} again). */
    private QueryRequest.Builder gsi1(String partition) {
        return QueryRequest.builder().tableName(tableName).indexName(GSI1).keyConditionExpression("GSI1PK = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(partition)));
    }

    private Optional<Map<String, AttributeValue>> first(QueryRequest query) {
        return dynamoDb.queryPaginator(query).items().stream().findFirst();
    }

    /**
     * A page of {@code limit} items from {@code after} on. It reads one item more than it returns, so the
     * last page says so; a filtered query keeps reading until the page is full or the list ends, at most
     * {@link #MAX_READS} query pages, and then answers with what it found and where it stopped (a page
     * can then be short, even empty, with more to come).
     *
     * @param keyNames the attributes of a query's position: the table's key, and the index's on an index
     */
    // environment variables (in the project's partition, see EnvVarItemMapper)

    @Override
    public Optional<EnvVar> get(EnvVarKey key) {
        return get(EnvVarItemMapper.currentKey(key)).map(EnvVarItemMapper::variable);
    }

    @Override
    public Page<EnvVar> list(ProjectId projectId, EnvScope scope, String after, int limit) {
        return page(liveVariables(projectId, scope), TABLE_KEY, after, limit, EnvVarItemMapper::variable);
    }

    @Override
    public List<EnvVar> all(ProjectId projectId, EnvScope scope) {
        List<EnvVar> variables = new ArrayList<>();
        dynamoDb.queryPaginator(liveVariables(projectId, scope)).items()
                .forEach(item -> variables.add(EnvVarItemMapper.variable(item)));
        return variables;
    }

    private QueryRequest liveVariables(ProjectId projectId, EnvScope scope) {
        return QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                .filterExpression("deleted = :no")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.project(projectId)), ":no", Attr.bool(false),
                        ":sk", Attr.s(scope == null ? EnvVarItemMapper.CURRENT_PREFIX : EnvVarItemMapper.scopePrefix(scope))))
                .build();
    }

    /** The variable's item on condition of its version, its version item (new), and the audit entry, together. */
    @Override
    public void write(EnvVar next, long expectedVersion, EnvVarVersion change, AuditEntry audit) {
        UpdateExpression current = new UpdateExpression();
        Map<String, AttributeValue> attributes = new HashMap<>(EnvVarItemMapper.item(next));
        attributes.remove(Keys.PK);
        attributes.remove(Keys.SK);
        attributes.forEach((name, value) -> current.set(value, name));
        if (next.sealed() == null) {
            current.remove("sealed").remove("valueHash");
        }
        if (expectedVersion == 0) {
            current.conditionAbsent(Keys.PK);
        } else {
            current.conditionEquals("version", Attr.n(expectedVersion));
        }
        new Transaction()
                .update(EnvVarItemMapper.currentKey(next.key()), current, "the variable changed meanwhile")
                .putNew(EnvVarItemMapper.item(change), "version " + change.version() + " of the variable exists")
                .put(ApiItemMapper.item(audit))
                .commit();
    }

    @Override
    public Page<EnvVarVersion> history(EnvVarKey key, String after, int limit) {
        return page(QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :sk)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.project(key.projectId())),
                        ":sk", Attr.s(EnvVarItemMapper.versionPrefix(key))))
                .scanIndexForward(false)
                .build(), TABLE_KEY, after, limit, EnvVarItemMapper::version);
    }

    @Override
    public Optional<EnvVarVersion> version(EnvVarKey key, long version) {
        return get(EnvVarItemMapper.versionKey(key, version)).map(EnvVarItemMapper::version);
    }

    private <T> Page<T> page(QueryRequest query, List<String> keyNames, String after, int limit,
                             Function<Map<String, AttributeValue>, T> mapper) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("a page holds 1 to " + MAX_PAGE + " items, not " + limit);
        }
        boolean filtered = query.filterExpression() != null;
        List<Map<String, AttributeValue>> taken = new ArrayList<>();
        Map<String, AttributeValue> start = after == null ? null : decode(after, keyNames);
        for (int reads = 0; reads < MAX_READS; reads++) {
            QueryRequest.Builder next = query.toBuilder().limit(filtered ? MAX_PAGE : limit + 1 - taken.size());
            if (start != null) {
                next.exclusiveStartKey(start);
            }
            QueryResponse response = dynamoDb.query(next.build());
            for (Map<String, AttributeValue> item : response.items()) {
                if (taken.size() == limit) {
                    return new Page<>(taken.stream().map(mapper).toList(), encode(taken.getLast(), keyNames));
                }
                taken.add(item);
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return new Page<>(taken.stream().map(mapper).toList(), null);
            }
            start = response.lastEvaluatedKey();
        }
        return new Page<>(taken.stream().map(mapper).toList(), encode(start, keyNames));
    }

    /** A position as the API keeps it between pages: the key attributes as a JSON object (the API signs it). */
    private static String encode(Map<String, AttributeValue> item, List<String> keyNames) {
        ObjectNode position = Json.object();
        keyNames.forEach(name -> position.put(name, Objects.requireNonNull(Attr.string(item, name), name)));
        return Json.write(position);
    }

    private static Map<String, AttributeValue> decode(String after, List<String> keyNames) {
        JsonNode position;
        try {
            position = Json.MAPPER.readTree(after);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a position of this store: " + after, e);
        }
        Map<String, AttributeValue> key = new HashMap<>();
        for (String name : keyNames) {
            JsonNode value = position == null ? null : position.get(name);
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException("not a position of this store: " + after);
            }
            key.put(name, Attr.s(value.textValue()));
        }
        return key;
    }

    // writes

    /** Deletes the items, 25 a request, until DynamoDB has processed every one. */
    private void deleteAll(List<Map<String, AttributeValue>> keys) {
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<WriteRequest> batch = keys.subList(from, Math.min(keys.size(), from + BATCH)).stream()
                    .map(key -> WriteRequest.builder().deleteRequest(d -> d.key(Map.of(Keys.PK, key.get(Keys.PK),
                            Keys.SK, key.get(Keys.SK)))).build())
                    .toList();
            Map<String, List<WriteRequest>> pending = Map.of(tableName, batch);
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                if (attempt > 8) {
                    throw new IllegalStateException("DynamoDB left " + pending.get(tableName).size() + " deletes unprocessed");
                }
                if (attempt > 1) {
                    pause(attempt);
                }
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = dynamoDb.batchWriteItem(r -> r.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    /** Backs off before retrying what DynamoDB throttled. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(25L << Math.min(attempt, 6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting", e);
        }
    }

    /**
     * One TransactWriteItems call, each conditional part with the conflict its failed condition means.
     * A cancellation for a failed condition is a {@link ApiStore.Conflict} naming each failed part;
     * others (a concurrent transaction, throttling) are not conflicts of the caller's making and propagate.
     */
    private final class Transaction {
        private final List<TransactWriteItem> items = new ArrayList<>();
        private final List<String> conflicts = new ArrayList<>();

        Transaction put(Map<String, AttributeValue> item) {
            return add(TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item).build()).build(), null);
        }

        /** A put of an item that must not exist yet. */
        Transaction putNew(Map<String, AttributeValue> item, String conflict) {
            return add(TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(PK)").build()).build(), conflict);
        }

        Transaction update(Map<String, AttributeValue> key, UpdateExpression update, String conflict) {
            return add(TransactWriteItem.builder().update(update.update(tableName, key)).build(), conflict);
        }

        Transaction delete(Map<String, AttributeValue> key) {
            return add(TransactWriteItem.builder().delete(d -> d.tableName(tableName).key(key)).build(), null);
        }

        Transaction delete(Map<String, AttributeValue> key, UpdateExpression conditions, String conflict) {
            return add(TransactWriteItem.builder().delete(conditions.delete(tableName, key)).build(), conflict);
        }

        Transaction check(Map<String, AttributeValue> key, UpdateExpression conditions, String conflict) {
            return add(TransactWriteItem.builder().conditionCheck(conditions.check(tableName, key)).build(), conflict);
        }

        private Transaction add(TransactWriteItem item, String conflict) {
            items.add(item);
            conflicts.add(conflict);
            return this;
        }

        void commit() {
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(items));
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                List<String> failed = new ArrayList<>();
                for (int i = 0; i < reasons.size() && i < conflicts.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        failed.add(Objects.requireNonNullElse(conflicts.get(i), "a condition no longer holds"));
                    }
                }
                if (failed.isEmpty()) {
                    throw e;
                }
                throw new Conflict(String.join("; ", failed));
            }
        }
    }
}
