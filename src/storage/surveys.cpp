#include "storage/surveys.h"

#include <fmt/format.h>

#include "core/table.h"

namespace tandem::storage {
namespace {

constexpr std::string_view kColumns =
    "id, title, intro, questions, organization_ids, service_id, anonymous, opens_at, closes_at, reminder_days, published_at, "
    "invited_at, closed_at, created_by, version, created_at, updated_at";

Survey survey_from(const Row& r, std::size_t at = 0) {
  Survey s;
  s.id = r.text(at + 0);
  s.title = r.text(at + 1);
  s.intro = r.text(at + 2);
  s.questions = r.text(at + 3);
  s.organization_ids = split_lines(r.text(at + 4));
  s.service_id = r.maybe_text(at + 5);
  s.anonymous = r.integer(at + 6) != 0;
  s.opens_at = r.maybe_integer(at + 7);
  s.closes_at = r.maybe_integer(at + 8);
  s.reminder_days = r.integer(at + 9);
  s.published_at = r.maybe_integer(at + 10);
  s.invited_at = r.maybe_integer(at + 11);
  s.closed_at = r.maybe_integer(at + 12);
  s.created_by = r.text(at + 13);
  s.version = r.integer(at + 14);
  s.created_at = r.integer(at + 15);
  s.updated_at = r.integer(at + 16);
  return s;
}

// The same, of a survey aliased s.
constexpr std::string_view kSurveyColumnsOfS =
    "s.id, s.title, s.intro, s.questions, s.organization_ids, s.service_id, s.anonymous, s.opens_at, s.closes_at, "
    "s.reminder_days, s.published_at, s.invited_at, s.closed_at, s.created_by, s.version, s.created_at, s.updated_at";

constexpr std::string_view kInvitationColumns = "survey_id, user_id, organization_id, invited_at, reminded_at, answered_on";

SurveyInvitation invitation_from(const Row& r, std::size_t at = 0) {
  return {r.text(at), r.text(at + 1), r.text(at + 2), r.integer(at + 3), r.maybe_integer(at + 4), r.maybe_integer(at + 5)};
}

constexpr std::string_view kResponseColumns = "id, survey_id, organization_id, user_id, scores, texts, nps, submitted_at";

std::vector<Survey> surveys_of(const std::vector<Row>& rows) {
  std::vector<Survey> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(survey_from(r));
  return out;
}


}  // namespace

std::string canonical(const Survey& s) {
  return fmt::format("survey\nid={}\ntitle={}\nintro={}\nquestions={}\norganizations={}\nservice={}\nanonymous={}\nopens_at={}\n"
                     "closes_at={}\nreminder_days={}\npublished_at={}\nclosed_at={}\nversion={}\n",
                     s.id, s.title, s.intro, s.questions, join_lines(s.organization_ids), s.service_id.value_or(""), s.anonymous,
                     s.opens_at.value_or(0), s.closes_at.value_or(0), s.reminder_days, s.published_at.value_or(0),
                     s.closed_at.value_or(0), s.version);
}

namespace surveys {

Result<void> insert(Connection& c, const Survey& s) {
  TRY(c.execute(fmt::format("INSERT INTO surveys ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kColumns),
                {s.id, s.title, s.intro, s.questions, join_lines(s.organization_ids), optional_text(s.service_id),
                 std::int64_t(s.anonymous), optional_integer(s.opens_at), optional_integer(s.closes_at), s.reminder_days,
                 optional_integer(s.published_at), optional_integer(s.invited_at), optional_integer(s.closed_at), s.created_by,
                 s.version, s.created_at, s.updated_at}));
  return {};
}

Result<void> update(Connection& c, const Survey& s) {
  TRY(c.execute("UPDATE surveys SET title = ?, intro = ?, questions = ?, organization_ids = ?, service_id = ?, anonymous = ?, "
                "opens_at = ?, closes_at = ?, reminder_days = ?, published_at = ?, invited_at = ?, closed_at = ?, version = ?, "
                "updated_at = ? WHERE id = ?",
                {s.title, s.intro, s.questions, join_lines(s.organization_ids), optional_text(s.service_id), std::int64_t(s.anonymous),
                 optional_integer(s.opens_at), optional_integer(s.closes_at), s.reminder_days, optional_integer(s.published_at),
                 optional_integer(s.invited_at), optional_integer(s.closed_at), s.version, s.updated_at, s.id}));
  return {};
}

Result<std::optional<Survey>> find(Connection& c, std::string_view id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM surveys WHERE id = ?{}", kColumns,
                                                  lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(id)}));
  if (rows.empty()) return std::nullopt;
  return survey_from(rows[0]);
}

Result<Page<Survey>> list(Connection& c, const PageRequest& page) {
  std::vector<Value> params;
  std::string where = "1 = 1";
  if (!page.after.empty()) where += " AND id < ?", params.emplace_back(page.after);
  params.emplace_back(std::int64_t(page.limit + 1));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM surveys WHERE {} ORDER BY id DESC LIMIT ?", kColumns, where), params));
  return make_page(surveys_of(rows), page.limit, [](const Survey& s) { return s.id; });
}

Result<std::vector<Survey>> to_invite(Connection& c, std::int64_t now, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM surveys WHERE invited_at IS NULL AND published_at IS NOT NULL AND "
                                                  "closed_at IS NULL AND opens_at <= ? AND closes_at > ? ORDER BY opens_at LIMIT ?",
                                                  kColumns),
                                      {now, now, std::int64_t(limit)}));
  return surveys_of(rows);
}

Result<std::vector<Survey>> open_with_reminders(Connection& c, std::int64_t now) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM surveys WHERE invited_at IS NOT NULL AND closed_at IS NULL AND "
                                                  "closes_at > ? AND reminder_days > 0",
                                                  kColumns),
                                      {now}));
  return surveys_of(rows);
}

}  // namespace surveys

namespace survey_invitations {

Result<std::vector<SurveyInvitation>> invite_audience(Connection& c, const Survey& s, std::int64_t now) {
  std::vector<Value> params{s.id, now};
  std::string orgs;
  for (const auto& id : s.organization_ids) orgs += orgs.empty() ? "?" : ", ?", params.emplace_back(id);
  auto where = orgs.empty() ? std::string() : " AND u.organization_id IN (" + orgs + ")";
  TRY(c.execute(fmt::format("INSERT INTO survey_invitations (survey_id, user_id, organization_id, invited_at) "
                            "SELECT ?, u.id, u.organization_id, ? FROM users u JOIN organizations o ON o.id = u.organization_id "
                            "WHERE o.kind = 'consumer' AND u.active = 1 AND u.left_at IS NULL{} ON CONFLICT DO NOTHING",
                            where),
                params));
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM survey_invitations WHERE survey_id = ? ORDER BY user_id",
                                                  kInvitationColumns),
                                      {s.id}));
  std::vector<SurveyInvitation> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(invitation_from(r));
  return out;
}

Result<std::optional<SurveyInvitation>> find(Connection& c, std::string_view survey_id, std::string_view user_id, Lock lock) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM survey_invitations WHERE survey_id = ? AND user_id = ?{}",
                                                  kInvitationColumns, lock == Lock::for_update ? c.lock_clause() : ""),
                                      {std::string(survey_id), std::string(user_id)}));
  if (rows.empty()) return std::nullopt;
  return invitation_from(rows[0]);
}

Result<bool> mark_answered(Connection& c, std::string_view survey_id, std::string_view user_id, std::int64_t answered_on) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE survey_invitations SET answered_on = ? WHERE survey_id = ? AND user_id = ? AND "
                                     "answered_on IS NULL",
                                     {answered_on, std::string(survey_id), std::string(user_id)}));
  return n > 0;
}

Result<bool> mark_reminded(Connection& c, std::string_view survey_id, std::string_view user_id, std::int64_t now) {
  ASSIGN_OR_RETURN(auto n, c.execute("UPDATE survey_invitations SET reminded_at = ? WHERE survey_id = ? AND user_id = ? AND "
                                     "reminded_at IS NULL AND answered_on IS NULL",
                                     {now, std::string(survey_id), std::string(user_id)}));
  return n > 0;
}

Result<std::vector<InvitedSurvey>> of_user(Connection& c, std::string_view user_id, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {}, i.survey_id, i.user_id, i.organization_id, i.invited_at, i.reminded_at, "
                                                  "i.answered_on FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id "
                                                  "WHERE i.user_id = ? ORDER BY s.id DESC LIMIT ?",
                                                  kSurveyColumnsOfS),
                                      {std::string(user_id), std::int64_t(limit)}));
  std::vector<InvitedSurvey> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({survey_from(r), invitation_from(r, 17)});
  return out;
}

Result<std::vector<SurveyInvitation>> to_remind(Connection& c, std::string_view survey_id, std::int64_t invited_before, int limit) {
  ASSIGN_OR_RETURN(auto rows, c.query("SELECT i.survey_id, i.user_id, i.organization_id, i.invited_at, i.reminded_at, i.answered_on "
                                      "FROM survey_invitations i JOIN users u ON u.id = i.user_id AND u.organization_id = i.organization_id "
                                      "WHERE i.survey_id = ? AND i.reminded_at IS NULL AND i.answered_on IS NULL AND i.invited_at <= ? "
                                      "AND u.active = 1 AND u.left_at IS NULL ORDER BY i.user_id LIMIT ?",
                                      {std::string(survey_id), invited_before, std::int64_t(limit)}));
  std::vector<SurveyInvitation> out;
  for (const auto& r : rows) out.push_back(invitation_from(r));
  return out;
}

Result<std::vector<Turnout>> turnout(Connection& c, const Scope& scope, std::string_view survey_id) {
  std::vector<Value> params{std::string(survey_id)};
  auto where = scope.organization_condition("organization_id", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT organization_id, COUNT(*), COUNT(answered_on) FROM survey_invitations "
                                                  "WHERE survey_id = ? AND {} GROUP BY organization_id ORDER BY organization_id",
                                                  where),
                                      params));
  std::vector<Turnout> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.integer(1), r.integer(2)});
  return out;
}

Result<void> move_user(Connection& c, std::string_view from, std::string_view to) {
  TRY(c.execute("UPDATE survey_invitations SET user_id = ? WHERE user_id = ? AND NOT EXISTS (SELECT 1 FROM survey_invitations i "
                "WHERE i.survey_id = survey_invitations.survey_id AND i.user_id = ?)",
                {std::string(to), std::string(from), std::string(to)}));
  // Where both were invited, the survivor has answered when either did: one person, one answer.
  TRY(c.execute("UPDATE survey_invitations SET answered_on = COALESCE(answered_on, (SELECT d.answered_on FROM survey_invitations d "
                "WHERE d.survey_id = survey_invitations.survey_id AND d.user_id = ?)) WHERE user_id = ?",
                {std::string(from), std::string(to)}));
  TRY(c.execute("DELETE FROM survey_invitations WHERE user_id = ?", {std::string(from)}));
  return {};
}

}  // namespace survey_invitations

namespace survey_responses {

Result<void> insert(Connection& c, const SurveyResponse& r) {
  TRY(c.execute(fmt::format("INSERT INTO survey_responses ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kResponseColumns),
                {r.id, r.survey_id, r.organization_id, optional_text(r.user_id), r.scores, r.texts, optional_integer(r.nps),
                 r.submitted_at}));
  return {};
}

Result<std::vector<SurveyResponse>> of_survey(Connection& c, const Scope& scope, std::string_view survey_id) {
  std::vector<Value> params{std::string(survey_id)};
  auto where = scope.organization_condition("organization_id", params);
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {} FROM survey_responses WHERE survey_id = ? AND {} ORDER BY submitted_at, id",
                                                  kResponseColumns, where),
                                      params));
  std::vector<SurveyResponse> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({r.text(0), r.text(1), r.text(2), r.maybe_text(3), r.text(4), r.text(5), r.maybe_integer(6), r.integer(7)});
  return out;
}

Result<std::vector<NpsCount>> count_nps(Connection& c, const Scope& scope, NpsGrouping by, std::int64_t from, std::int64_t to) {
  std::vector<Value> params;
  auto where = scope.organization_condition("r.organization_id", params) + " AND r.submitted_at >= ? AND r.submitted_at < ?";
  params.emplace_back(from);
  params.emplace_back(to);
  std::string_view key = by == NpsGrouping::service ? "COALESCE(s.service_id, 'none')" : "r.organization_id";
  ASSIGN_OR_RETURN(auto rows, c.query(fmt::format("SELECT {0}, r.organization_id, r.nps, COUNT(*) FROM survey_responses r "
                                                  "JOIN surveys s ON s.id = r.survey_id WHERE {1} AND r.nps IS NOT NULL AND s.anonymous = 0 "
                                                  "GROUP BY {0}, r.organization_id, r.nps",
                                                  key, where),
                                      params));
  std::vector<NpsCount> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.integer(2), r.integer(3)});
  return out;
}

Result<void> move_user(Connection& c, std::string_view from, std::string_view to) {
  TRY(c.execute("UPDATE survey_responses SET user_id = ? WHERE user_id = ? AND NOT EXISTS (SELECT 1 FROM survey_responses r "
                "WHERE r.survey_id = survey_responses.survey_id AND r.user_id = ?)",
                {std::string(to), std::string(from), std::string(to)}));
  TRY(c.execute("DELETE FROM survey_responses WHERE user_id = ?", {std::string(from)}));
  return {};
}

}  // namespace survey_responses
}  // namespace tandem::storage
