#include "usecase/demo.h"

#include "storage/organizations.h"
#include "storage/users.h"
#include "usecase/directory.h"

namespace tandem::usecase {
namespace {

using identity::Role;

struct DemoUser {
  const char* email;
  const char* name;
  Role role;
  bool consumer;
  const char* language;
  const char* time_zone;
};

constexpr DemoUser kUsers[] = {
    {"li.na@campus-mobility.example", "李娜", Role::agent, false, "zh-CN", "Asia/Shanghai"},
    {"tom.baker@campus-mobility.example", "Tom Baker", Role::agent, false, "en", "Europe/London"},
    {"zhao.lei@campus-mobility.example", "赵磊", Role::specialist, false, "zh-CN", "Asia/Shanghai"},
    {"grace.chen@campus-mobility.example", "Grace Chen", Role::relationship_manager, false, "en", "Asia/Shanghai"},
    {"fleet.office@university.example", "王芳 (Fleet office)", Role::customer, true, "zh-CN", "Asia/Shanghai"},
    {"zhang.wei@university.example", "张伟", Role::user, true, "zh-CN", "Asia/Shanghai"},
    {"emma.wilson@university.example", "Emma Wilson", Role::user, true, "en", "Asia/Shanghai"},
    {"liu.yang@university.example", "刘洋", Role::representative, true, "zh-CN", "Asia/Shanghai"},
};

}  // namespace

Result<DemoSummary> load_demo(const Services& s) {
  DemoSummary summary;
  auto actor = system_actor();
  ASSIGN_OR_RETURN(auto existing, s.db.read([](storage::Connection& c) {
    return storage::users::owner_of_identity(c, "email", "zhang.wei@university.example");
  }));
  if (existing) {
    summary.already_loaded = true;
    return summary;
  }
  TRY(ensure_provider(s, "Campus Mobility Services 校园出行"));
  ASSIGN_OR_RETURN(auto university, create_organization(s, actor, "Riverside University 河畔大学 — Car-share Club"));
  ++summary.organizations;

  std::vector<std::string> agent_ids, specialist_ids, user_ids;
  for (const auto& d : kUsers) {
    NewUser u;
    u.draft.email = d.email;
    u.draft.name = d.name;
    u.draft.roles = {d.role};
    u.draft.language = d.language;
    u.draft.time_zone = d.time_zone;
    if (d.consumer) u.draft.organization_id = university.id;
    if (d.role == Role::representative) u.draft.represented_user_ids = user_ids;  // acts for the students above
    if (std::string_view(d.email) == "emma.wilson@university.example")
      u.draft.flags = {identity::UserFlag::accessibility_needs};
    u.password = std::string(kDemoPassword);
    ASSIGN_OR_RETURN(auto created, create_user(s, actor, u));
    ++summary.users;
    if (d.role == Role::agent) agent_ids.push_back(created.id);
    if (d.role == Role::specialist) specialist_ids.push_back(created.id);
    if (d.role == Role::user) user_ids.push_back(created.id);
  }
  TeamPatch desk;
  desk.name = "Service desk 服务台";
  desk.description = "First line for members: bookings, billing, app problems.";
  desk.skills = std::vector<std::string>{"bookings", "billing", "mobile app"};
  desk.languages = std::vector<std::string>{"zh-CN", "en"};
  desk.member_ids = agent_ids;
  TRY(create_team(s, actor, desk));
  TeamPatch fleet;
  fleet.name = "Fleet maintenance 车队维护";
  fleet.description = "Vehicle condition, charging, damage and late returns.";
  fleet.skills = std::vector<std::string>{"vehicle damage", "charging", "keys"};
  fleet.languages = std::vector<std::string>{"zh-CN"};
  fleet.member_ids = specialist_ids;
  TRY(create_team(s, actor, fleet));
  summary.teams = 2;
  return summary;
}

}  // namespace tandem::usecase
