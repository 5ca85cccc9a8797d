#include "usecase/demo.h"

#include "usecase/assets.h"

#include "storage/organizations.h"
#include "storage/users.h"
#include "usecase/calendars.h"
#include "usecase/approvals.h"
#include "usecase/assets.h"
#include "usecase/billing.h"
#include "usecase/catalog.h"
#include "usecase/community.h"
#include "domain/markup/markdown.h"
#include "storage/community.h"
#include "usecase/directory.h"
#include "usecase/fulfilment.h"
#include "usecase/knowledge.h"
#include "usecase/offerings.h"
#include "usecase/onboarding_plans.h"
#include "usecase/onboarding_templates.h"
#include "usecase/queues.h"
#include "usecase/requirements.h"
#include "usecase/terms.h"
#include "usecase/trainings.h"
#include "usecase/settlement.h"
#include "usecase/sla_policies.h"
#include "usecase/tickets.h"

#include <random>

#include <date/date.h>
#include <nlohmann/json.hpp>

#include "core/id.h"
#include "domain/tickets/workflow.h"
#include "storage/tickets.h"

namespace tandem::usecase {
namespace {

using identity::Role;
using Json = nlohmann::json;

enum class Home { provider, university, club };

struct DemoUser {
  const char* email;
  const char* name;
  Role role;
  Home home;
  const char* language;
  const char* time_zone;
};

constexpr DemoUser kUsers[] = {
    {"li.na@campus-mobility.example", "李娜", Role::agent, Home::provider, "zh-CN", "Asia/Shanghai"},
    {"tom.baker@campus-mobility.example", "Tom Baker", Role::agent, Home::provider, "en", "Europe/London"},
    {"zhao.lei@campus-mobility.example", "赵磊", Role::specialist, Home::provider, "zh-CN", "Asia/Shanghai"},
    {"grace.chen@campus-mobility.example", "Grace Chen", Role::relationship_manager, Home::provider, "en", "Asia/Shanghai"},
    {"fleet.office@university.example", "王芳 (Fleet office)", Role::customer, Home::university, "zh-CN", "Asia/Shanghai"},
    {"zhang.wei@university.example", "张伟", Role::user, Home::university, "zh-CN", "Asia/Shanghai"},
    {"emma.wilson@university.example", "Emma Wilson", Role::user, Home::university, "en", "Asia/Shanghai"},
    {"liu.yang@university.example", "刘洋", Role::representative, Home::university, "zh-CN", "Asia/Shanghai"},
    {"chen.jing@greenway-club.example", "陈静", Role::user, Home::club, "zh-CN", "Asia/Shanghai"},
};

// ONB-11: every text of the demo's catalogs is written for both languages its people read.
Json both(const char* en, const char* zh) { return {{"en", en}, {"zh-CN", zh}}; }

Json field(const char* key, const char* type, Json label, bool required, Json more = Json::object()) {
  Json out = {{"key", key}, {"type", type}, {"label", std::move(label)}, {"required", required}};
  out.update(more);
  return out;
}

Json option(const char* value, Json label, const char* price = "0.00") {
  return {{"value", value}, {"label", std::move(label)}, {"price", price}};
}

// DESK-5, ONB-10: two catalogs side by side, each entitled to one organisation only, so that
// each side's people see their own services and never the other's.
// The request types the demo's stories request.
struct DemoCatalog {
  std::string laptop_id;
  std::string licence_id;  // the club's driving licence requirement
  std::string regular_tier_id;  // the club's Regular membership
  std::string cars_id, it_id;   // the services
};

Result<DemoCatalog> load_catalogs(const Services& s, const identity::Actor& actor, const std::string& club_id,
                                  const std::string& university_id, const std::string& desk_id, const std::string& fleet_id) {
  DemoCatalog out;
  // DESK-5: each request type's fulfilment procedure, done by the desk or the fleet team.
  auto step = [](const char* key, Json name, const std::string& team, Json after = Json::array(), int due_hours = 0) {
    return Json{{"key", key}, {"name", std::move(name)}, {"team_id", team}, {"after", std::move(after)}, {"due_hours", due_hours}};
  };
  auto service = [&](const Json& body) -> Result<std::string> {
    ASSIGN_OR_RETURN(auto made, create_service(s, actor, {body.dump()}));
    return made.stored.id;
  };
  auto request_type = [&](const std::string& service_id, Json body) -> Result<std::string> {
    body["service_id"] = service_id;
    ASSIGN_OR_RETURN(auto made, create_request_type(s, actor, {body.dump()}));
    return made.stored.id;
  };
  auto entitle = [&](const std::string& service_id, const std::string& organization_id) -> Result<void> {
    TRY(create_entitlement(s, actor, {Json{{"service_id", service_id}, {"organization_id", organization_id}}.dump()}));
    return {};
  };

  ASSIGN_OR_RETURN(auto cars, service({{"name", both("Car sharing", "汽车共享")},
                                       {"description", both("Book the club's electric cars and look after them together.",
                                                            "预订俱乐部的电动汽车，大家一起爱护车辆。")}}));
  out.cars_id = cars;
  ASSIGN_OR_RETURN(auto book_car, request_type(cars, {{"name", both("Book a car", "预订车辆")},
                          {"form", {{"fields", Json::array({
                              field("pickup_date", "date", both("Pick-up date", "取车日期"), true),
                              field("hours", "number", both("Hours", "用车时长（小时）"), true,
                                    {{"min", 1}, {"max", 72},
                                     {"message", both("Book from 1 to 72 hours.", "用车时长请填写 1 到 72 小时。")}}),
                              field("car_size", "choice", both("Car size", "车型"), true,
                                    {{"options", Json::array({option("small", both("Small (4 seats)", "小型车（4 座）"), "30.00"),
                                                              option("family", both("Family (5 seats)", "家用车（5 座）"), "45.00"),
                                                              option("van", both("Van (7 seats)", "商务车（7 座）"), "60.00")})}}),
                              field("child_seat", "choice", both("Child seat", "儿童安全座椅"), false,
                                    {{"options", Json::array({option("yes", both("Yes, please", "需要")),
                                                              option("no", both("No, thanks", "不需要"))})},
                                     {"show_when", {{"field", "car_size"}, {"equals", "family"}}}}),
                          })}}},
                          {"tasks", Json::array({step("prepare_car", both("Charge and clean the car", "为车辆充电并清洁"), fleet_id,
                                                      Json::array(), 12)})}}));
  ASSIGN_OR_RETURN(auto charging_card, request_type(cars, {{"name", both("Charging card", "充电卡")},
                          {"description", both("A card for the club's charging points; one per member a year.",
                                               "用于俱乐部充电桩的充电卡，每位会员每年可申领一张。")},
                          {"quota", {{"count", 1}, {"per", "user"}, {"months", 12}}},
                          {"tasks", Json::array({step("issue_card", both("Issue the card", "制作充电卡"), fleet_id, Json::array(), 72),
                                                 step("post_card", both("Post the card to the member", "将充电卡寄给会员"), fleet_id,
                                                      {"issue_card"}, 48)})}}));
  ASSIGN_OR_RETURN(auto damage_report, request_type(cars, {{"name", both("Damage report", "车辆损坏报告")},
                          {"form", {{"fields", Json::array({
                              field("description", "long_text", both("What is damaged, and how?", "损坏情况说明"), true),
                              field("damage_date", "date", both("Date of damage", "损坏发生日期"), false),
                              field("plate", "text", both("Car plate", "车牌号"), false, {{"max_length", 16u}}),
                              field("photos", "file", both("Photos of the damage", "损坏照片"), false, {{"max_files", 5u}}),
                          })}}},
                          {"tasks", Json::array({step("inspect", both("Inspect the car", "检查车辆"), fleet_id, Json::array(), 24),
                                                 step("repair", both("Have it repaired", "安排维修"), fleet_id, {"inspect"})})}}));
  // ONB-7, ONB-8, ONB-9 (seed 7.4): booking a car needs a driving licence of category C1 and the
  // safety video with its quiz; every car request needs the club's car use terms accepted.
  ASSIGN_OR_RETURN(auto video, create_training(s, actor, {Json{
      {"title", both("Safety video and quiz", "安全视频与测验")},
      {"content", Json::array({{{"kind", "video"}, {"url", "https://media.example.org/car-club/safety.mp4"},
                                {"title", both("Driving the club's electric cars safely", "安全驾驶俱乐部电动汽车")}}})},
      {"questions", Json::array({{{"text", both("May you drive after drinking?", "酒后可以驾驶吗？")},
                                  {"choices", Json::array({both("Yes", "可以"), both("No", "不可以")})}, {"answer", 1}},
                                 {{"text", both("Where is the car returned?", "车辆应归还到哪里？")},
                                  {"choices", Json::array({both("Its home bay", "原车位"), both("Anywhere", "任意地点")})}, {"answer", 0}}})},
      {"pass_mark", 1}}.dump()}));
  ASSIGN_OR_RETURN(auto licence, create_requirement(s, actor, {Json{{"kind", "licence"}, {"category", "C1"}, {"validity_days", 3650},
                                                                    {"name", both("Driving licence", "驾驶证")}}.dump()}));
  ASSIGN_OR_RETURN(auto safety, create_requirement(s, actor, {Json{{"kind", "training"}, {"training_id", video.stored.id},
                                                                   {"name", both("Safety training", "安全培训")}}.dump()}));
  out.licence_id = licence.stored.id;
  TRY(create_entitlement(s, actor, {Json{{"request_type_id", book_car}, {"organization_id", club_id},
                                         {"requirement_ids", {licence.stored.id, safety.stored.id}}}.dump()}));
  for (const auto& type : {charging_card, damage_report})
    TRY(create_entitlement(s, actor, {Json{{"request_type_id", type}, {"organization_id", club_id}}.dump()}));
  ASSIGN_OR_RETURN(auto terms, create_terms(s, actor, {Json{{"service_id", cars},
                                                           {"title", both("Car use terms", "用车条款")},
                                                           {"text", both("Book before you drive, return the car clean and charged to its home bay on "
                                                                         "time, and report any damage at once.",
                                                                         "用车前请先预订；按时将车辆清洁、充好电后归还原车位；如有损坏请立即报告。")}}.dump()}));
  TRY(publish_terms(s, actor, terms.stored.id));
  // ONB-6: the club's two ways to be a member (seed 7.4): a monthly fee and cheap bookings, or no
  // fee and dearer bookings. The club holds "Regular".
  ASSIGN_OR_RETURN(auto membership, create_offering(s, actor, {Json{{"service_id", cars},
                                                                    {"name", both("Membership", "会员资格")},
                                                                    {"tier_change", "next_period"}}
                                                                   .dump()}));
  ASSIGN_OR_RETURN(auto regular, create_tier(s, actor, {Json{{"offering_id", membership.stored.id},
                                                             {"name", both("Regular", "常规会员")},
                                                             {"description", both("For weekly drivers.", "适合每周用车的会员。")},
                                                             {"monthly_fee", "30.00"},
                                                             {"usage_prices", {{"booking", "2.00"}}}}
                                                            .dump()}));
  TRY(create_tier(s, actor, {Json{{"offering_id", membership.stored.id},
                                  {"name", both("Occasional", "偶尔用车")},
                                  {"description", both("No monthly fee; each booking costs more.", "无月费，每次预订费用较高。")},
                                  {"usage_prices", {{"booking", "6.00"}}},
                                  {"order", 1}}
                                 .dump()}));
  TRY(create_subscription(s, actor, {regular.stored.id, club_id, std::nullopt, std::nullopt, std::nullopt}));
  out.regular_tier_id = regular.stored.id;

  ASSIGN_OR_RETURN(auto it, service({{"name", both("IT services", "信息技术服务")},
                                     {"description", both("Computers, network access and software for staff and students.",
                                                          "为师生提供电脑、网络访问和软件方面的服务。")}}));
  out.it_id = it;
  // DESK-5: a laptop is the university's money: its customer (the fleet office) approves first.
  ASSIGN_OR_RETURN(out.laptop_id, request_type(it, {{"name", both("Laptop request", "笔记本电脑申请")},
                        {"approval", {{"steps", Json::array({{{"approver", "customer"}, {"mode", "any"}}})}}},
                        {"description", both("One laptop per person every three years.", "每人每三年可申请一台笔记本电脑。")},
                        {"quota", {{"count", 1}, {"per", "user"}, {"months", 36}}},
                        {"form", {{"fields", Json::array({
                            field("model", "choice", both("Model", "型号"), true,
                                  {{"options", Json::array({option("standard", both("Standard, 14 inch", "标准款 14 英寸"), "4999.00"),
                                                            option("performance", both("Performance, 16 inch", "高性能款 16 英寸"), "8999.00"),
                                                            option("light", both("Lightweight, 13 inch", "轻薄款 13 英寸"), "6999.00")})}}),
                            field("reason", "text", both("Reason", "申请理由"), true),
                        })}}},
                        {"tasks", Json::array({step("order", both("Order the laptop", "订购笔记本电脑"), desk_id, Json::array(), 48),
                                               step("image", both("Install the university image", "安装学校标准系统"), desk_id, {"order"}, 24),
                                               step("register", both("Register the asset", "登记固定资产"), desk_id, {"order"}),
                                               step("hand_over", both("Hand it over", "交付使用者"), desk_id, {"image", "register"})})}}));
  TRY(request_type(it, {{"name", both("VPN access", "VPN 访问")},
                        {"form", {{"fields", Json::array({
                            field("reason", "text", both("What do you need it for?", "用途"), true),
                            field("end_date", "date", both("Access until", "使用截止日期"), true,
                                  {{"help", both("Access ends after this day.", "访问权限在该日期之后失效。")}}),
                        })}}},
                        {"tasks", Json::array({step("create_account", both("Create the VPN account", "开通 VPN 账号"), desk_id, Json::array(), 8),
                                               step("confirm", both("Confirm with the user", "与用户确认可用"), desk_id, {"create_account"})})}}));
  TRY(request_type(it, {{"name", both("Software install", "软件安装")},
                        {"form", {{"fields", Json::array({
                            field("software", "text", both("Software name", "软件名称"), true),
                            field("licence", "choice", both("Licence", "授权方式"), true,
                                  {{"options", Json::array({option("campus", both("Campus licence", "学校正版授权")),
                                                            option("own", both("My own licence", "本人已有授权")),
                                                            option("free", both("Free software", "免费软件"))})}}),
                            field("device", "text", both("Device (asset tag or name)", "设备（资产编号或名称）"), true),
                        })}}}}));
  TRY(entitle(it, university_id));
  return out;
}

}  // namespace

namespace {

Json onboarding_action(const char* key, Json title, const char* performed_by, const char* owner_role, int days, Json after,
                       const char* dimension = "organizations_people") {
  return {{"key", key},       {"title", std::move(title)}, {"dimension", dimension}, {"performed_by", performed_by},
          {"owner_role", owner_role}, {"due_offset_days", days}, {"depends_on", std::move(after)}};
}

// ONB-1…ONB-3 (seed 7.1): the university joins the car-share club's provider as a new
// organisation — a plan waiting for the fleet office to accept it — and the university IT's plan
// for a new member of staff, accepted and under way.
Result<void> load_onboarding(const Services& s, const identity::Actor& manager, const identity::Actor& customer,
                             const std::string& university_id, const std::string& newcomer_id, const std::string& calendar_id) {
  Json organisation = {
      {"name", both("Car-share club: a new organisation", "汽车共享俱乐部：新组织入驻")},
      {"control_method", "project"},
      {"objectives", Json::array({{{"key", "calls"}, {"name", both("At most two calls each in the first month", "首月每人来电不超过两次")},
                                   {"metric", "tickets_per_user_first_days"}, {"target", 2}, {"days", 30}},
                                  {{"key", "first_contact"}, {"name", both("Solved at the first contact", "首次接触即解决")},
                                   {"metric", "first_contact_resolution"}, {"target", 0.7}},
                                  {{"key", "eligible"}, {"name", both("Members able to book", "可以订车的会员比例")},
                                   {"metric", "share_of_users_eligible"}, {"target", 0.8}}})},
      {"scope", Json::array({{{"dimension", "organizations_people"}, {"side", "consumer"},
                              {"description", both("The university's first 200 members and its fleet office", "学校首批 200 名会员及车队办公室")}},
                             {{"dimension", "information_technology"}, {"side", "provider"},
                              {"description", both("Booking app accounts and charging cards", "订车应用账号与充电卡")}}})},
      {"actions", Json::array({onboarding_action("kickoff", both("Kick-off meeting with the fleet office", "与车队办公室召开启动会"),
                                                 "provider", "relationship_manager", 0, Json::array()),
                               onboarding_action("member_list", both("Send the list of first members", "提交首批会员名单"), "consumer",
                                                 "customer", 3, {"kickoff"}),
                               onboarding_action("accounts", both("Create the members' accounts", "为会员开通账号"), "provider", "agent",
                                                 5, {"member_list"}, "information_technology"),
                               onboarding_action("safety", both("Members watch the safety video", "会员观看安全视频"), "consumer",
                                                 "customer", 10, {"accounts"}),
                               onboarding_action("first_review", both("First-month review", "首月回顾"), "provider",
                                                 "relationship_manager", 30, {"accounts", "safety"}, "value_streams_processes")})}};
  Json staff = {
      {"name", both("University IT: a new member of staff", "学校信息中心：新员工入职")},
      {"control_method", "standard_change"},
      {"objectives", Json::array({{{"key", "calls"}, {"name", both("At most two calls in the first month", "首月来电不超过两次")},
                                   {"metric", "tickets_per_user_first_days"}, {"target", 2}, {"days", 30}}})},
      {"actions", Json::array({onboarding_action("account", both("Create the account and e-mail", "开通账号和邮箱"), "provider", "agent", 0,
                                                 Json::array(), "information_technology"),
                               onboarding_action("laptop", both("Hand over a laptop", "发放笔记本电脑"), "provider", "agent", 2, {"account"},
                                                 "information_technology"),
                               onboarding_action("induction", both("Read the IT induction guide", "阅读信息化入职指南"), "consumer", "user",
                                                 3, {"account"}),
                               onboarding_action("check_in", both("Two-week check-in", "两周回访"), "provider", "relationship_manager", 14,
                                                 {"laptop", "induction"})})}};
  ASSIGN_OR_RETURN(auto joining, create_onboarding_template(s, manager, {organisation.dump()}));
  ASSIGN_OR_RETURN(auto starting, create_onboarding_template(s, manager, {staff.dump()}));
  auto today = date::floor<date::days>(s.clock.now());
  PlanInput university{joining.stored.id, university_id, std::nullopt, "new_organization", day_text(today - date::days(7)), calendar_id};
  TRY(create_plan(s, manager, university));
  PlanInput newcomer{starting.stored.id, university_id, newcomer_id, "new_user", day_text(today - date::days(3)), calendar_id};
  ASSIGN_OR_RETURN(auto plan, create_plan(s, manager, newcomer));
  TRY(accept_plan(s, customer, plan.stored.id));
  for (const auto& a : plan.actions) {
    if (a.what.key == "account") TRY(move_plan_action(s, manager, plan.stored.id, a.id, "done"));
    if (a.what.key == "laptop") TRY(move_plan_action(s, manager, plan.stored.id, a.id, "in_progress"));
  }
  return {};
}

}  // namespace

// KB-1: the university's IT help in both languages (VPN, printing, Wi-Fi; printing for the
// university only), and the car club's charging guide; one draft still to be published.
Result<void> load_knowledge(const Services& s, const identity::Actor& writer, const DemoCatalog& catalog, const std::string& university_id) {
  struct Story {
    const char* title_zh;
    const char* body_zh;
    const char* title_en;
    const char* body_en;
    std::string service_id;
    bool university_only = false;
    bool publish = true;
  };
  const Story stories[] = {
      {"宿舍 VPN 连接超时怎么办",
       "在宿舍连接 **VPN** 时如果提示“连接超时”：\n\n1. 先确认电脑已连上校园网络（eduroam 或有线网络）。\n2. 退出 VPN 客户端后重新打开。\n"
       "3. 仍然超时：卸载并从 [信息中心](https://it.university.example/vpn) 重新安装最新版客户端。\n\n问题依旧时请在“寻求帮助”中提交故障，并附上错误截图。",
       "VPN times out in the dorm",
       "If the **VPN** says \"connection timed out\" in the dorm:\n\n1. Check that the computer is on the campus network (eduroam or cable).\n"
       "2. Quit the VPN client and open it again.\n3. Still timing out: uninstall it and install the latest client from the "
       "[IT centre](https://it.university.example/vpn).\n\nIf nothing helps, raise an incident under \"Ask for help\" with a screenshot of the error.",
       catalog.it_id},
      {"打印机驱动安装指南",
       "三楼打印机的驱动安装步骤：\n\n| 系统 | 驱动 |\n|---|---|\n| Windows | 运行 `PrintSetup.exe` |\n| macOS | 添加打印机，选择 *Campus-3F* |\n\n"
       "安装后打印一张测试页。打印出空白页时，请检查墨粉并重新安装驱动。",
       "Installing the printer driver",
       "To install the driver of the third-floor printer:\n\n| System | Driver |\n|---|---|\n| Windows | run `PrintSetup.exe` |\n"
       "| macOS | add a printer and choose *Campus-3F* |\n\nPrint a test page afterwards. Blank pages: check the toner and reinstall the driver.",
       catalog.it_id, true},
      {"连接 eduroam 无线网络",
       "打开无线网络设置，选择 **eduroam**，用校园账号（学号@university.example）和密码登录。宿舍信号弱时请靠近走廊的接入点。",
       "Connecting to eduroam Wi-Fi",
       "Open the Wi-Fi settings, choose **eduroam** and sign in with your campus account (student number@university.example) and "
       "password. If the signal is weak in the dorm, move closer to the access point in the corridor.",
       catalog.it_id},
      {"如何给电动车充电？",
       "1. 把车停进充电车位，熄火。\n2. 将会员卡贴在充电桩的感应区。\n3. 插上充电枪，指示灯变绿即开始充电。\n\n还车时电量请不低于 30%。",
       "How do I charge the car?",
       "1. Park in a charging bay and switch the car off.\n2. Tap your member card on the charging point.\n3. Plug in: the light turns green "
       "while it charges.\n\nPlease return the car with at least 30% charge.",
       catalog.cars_id},
      {"新门禁系统（草稿）", "新门禁系统将于下月启用，届时请使用校园卡开门。", "New door access (draft)",
       "The new door access starts next month: open doors with your campus card.", catalog.it_id, false, false},
  };
  for (const auto& story : stories) {
    NewArticle in{story.title_zh, story.body_zh, "zh-CN", {}, {story.service_id}, std::nullopt, std::nullopt};
    if (story.university_only) in.audience.organization_ids = {university_id};
    ASSIGN_OR_RETURN(auto made, create_article(s, writer, in));
    ArticlePatch english;
    english.language = "en";
    english.title = story.title_en;
    english.body = story.body_en;
    ASSIGN_OR_RETURN(auto translated, update_article(s, writer, made.article.id, made.article.version, english));
    if (story.publish) TRY(publish_article(s, writer, translated.article.id));
  }
  return {};
}

// COM-1…COM-3: the car-share clubs' charging Q&A — a question, a member's accepted answer, the
// desk's reply, votes — with a super user and their backup.
Result<void> load_community(const Services& s, const identity::Actor& staff, const DemoCatalog& catalog, const std::string& university_id,
                            const std::string& club_id, const std::function<std::optional<identity::Actor>(const char*)>& actor_of) {
  auto asker = actor_of("zhang.wei@university.example");
  auto helper = actor_of("liu.yang@university.example");
  auto other = actor_of("emma.wilson@university.example");
  if (!asker || !helper || !other) return {};
  NewSpace space{"充电问答 Charging Q&A", "zh-CN", catalog.cars_id, AudienceInput{{university_id, club_id}, {}, {}}};
  ASSIGN_OR_RETURN(auto made, create_space(s, staff, space));
  ASSIGN_OR_RETURN(auto topic, create_topic(s, *asker, {made.space.id, "如何给电动车充电？How do I charge the car?",
                                                       "第一次用车，不知道充电卡怎么用，充电桩也没有反应。", community::TopicKind::question}));
  ASSIGN_OR_RETURN(auto answer, reply_to_topic(s, *helper, topic.topic.id,
                                               "把会员卡贴在充电桩的感应区，听到“嘀”一声后再插上充电枪，指示灯变绿就开始充电了。\n\n"
                                               "Tap your member card on the charging point first, then plug in: the light turns green."));
  TRY(reply_to_topic(s, staff, topic.topic.id, "补充一下：北门的 3 号充电桩正在维修，请先使用 1、2 号。"));
  TRY(vote_on_post(s, *other, answer.post.id, 1));
  TRY(vote_on_post(s, *asker, answer.post.id, 1));
  TRY(accept_answer(s, *asker, topic.topic.id, answer.post.id));
  TRY(appoint_super_user(s, staff, made.space.id, helper->user_id, asker->user_id));
  ASSIGN_OR_RETURN(auto chat, create_topic(s, *other, {made.space.id, "Best places to park near the library?",
                                                      "Where do you usually leave the car when you go to the library?",
                                                      community::TopicKind::discussion}));
  TRY(reply_to_topic(s, *asker, chat.topic.id, "图书馆东侧的停车点一般都有空位。The east side usually has room."));
  return {};
}

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
  // A tenant of its own, so the demo shows one catalog kept from another's people (ONB-10).
  ASSIGN_OR_RETURN(auto club, create_organization(s, actor, "Greenway Car-share Club 绿道汽车共享俱乐部"));
  ++summary.organizations;

  std::vector<std::string> agent_ids, specialist_ids, user_ids;
  for (const auto& d : kUsers) {
    NewUser u;
    u.draft.email = d.email;
    u.draft.name = d.name;
    u.draft.roles = {d.role};
    u.draft.language = d.language;
    u.draft.time_zone = d.time_zone;
    if (d.home == Home::university) u.draft.organization_id = university.id;
    if (d.home == Home::club) u.draft.organization_id = club.id;
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
  ASSIGN_OR_RETURN(auto desk_team, create_team(s, actor, desk));
  TeamPatch fleet;
  fleet.name = "Fleet maintenance 车队维护";
  fleet.description = "Vehicle condition, charging, damage and late returns.";
  fleet.skills = std::vector<std::string>{"vehicle damage", "charging", "keys"};
  fleet.languages = std::vector<std::string>{"zh-CN"};
  fleet.member_ids = specialist_ids;
  ASSIGN_OR_RETURN(auto fleet_team, create_team(s, actor, fleet));
  summary.teams = 2;
  // The desk's shared queues (issue "Service desk core" §6): a filter read with each agent's scope, so
  // "assignee_id=me" is every agent's own work.
  const std::string open_states = "new,triaged,in_progress,waiting_for_user,awaiting_approval,fulfilment";
  const std::pair<const char*, FilterParams> queues[] = {
      {"My work 我的工作", {{"assignee_id", "me"}, {"status", open_states}, {"sort", "-priority"}}},
      {"Unassigned 待分配", {{"assignee_id", "none"}, {"status", open_states}, {"sort", "-priority"}}},
      {"Service desk 服务台", {{"team_id", desk_team.id}, {"status", open_states}, {"sort", "-priority"}}},
      {"Resolved 已解决", {{"status", "resolved"}, {"sort", "-updated_at"}}},
  };
  for (const auto& [name, filter] : queues) TRY(create_queue(s, actor, NewQueue{name, filter, true}));

  // DESK-3: the provider's agreed timeframes — office hours in Shanghai with the 2026 National
  // Day holidays and their make-up working days, and round the clock for vulnerable members.
  CalendarInput office;
  office.name = "Campus office 校园办公时间";
  office.fields_json = R"({"time_zone": "Asia/Shanghai",
    "hours": {"mon": [["09:00","12:00"],["13:00","18:00"]], "tue": [["09:00","12:00"],["13:00","18:00"]],
              "wed": [["09:00","12:00"],["13:00","18:00"]], "thu": [["09:00","12:00"],["13:00","18:00"]],
              "fri": [["09:00","12:00"],["13:00","18:00"]]},
    "holidays": ["2026-10-01","2026-10-02","2026-10-03","2026-10-04","2026-10-05","2026-10-06","2026-10-07","2026-10-08"],
    "extra_working_days": ["2026-09-27","2026-10-10"]})";
  ASSIGN_OR_RETURN(auto office_hours, create_calendar(s, actor, office));
  CalendarInput always;
  always.name = "Round the clock 全天候";
  always.fields_json = R"({"time_zone": "Asia/Shanghai", "always_open": true})";
  ASSIGN_OR_RETURN(auto round_the_clock, create_calendar(s, actor, always));
  auto policy = [&](const char* name, std::int64_t order, const std::string& calendar_id, const char* rest) -> Result<void> {
    PolicyInput in;
    in.name = name;
    in.order = order;
    in.fields_json = std::string(R"({"calendar_id": ")") + calendar_id + R"(", )" + rest + "}";
    TRY(create_sla_policy(s, actor, in));
    return {};
  };
  TRY(policy("Vulnerable members 需要特别照顾的会员", 1, round_the_clock.stored.id,
             R"("conditions": {"vulnerable": true}, "targets": {"first_response": 30, "resolution": 240},
                "escalations": [{"at": "warning", "action": "notify"}])"));
  TRY(policy("Incidents 故障", 10, office_hours.stored.id,
             R"("conditions": {"type": ["incident"]}, "targets": {"first_response": 60, "next_update": 240, "resolution": 480},
                "escalations": [{"at": "warning", "action": "notify"},
                                {"at": "breach", "target": "resolution", "action": "raise_priority"}])"));
  TRY(policy("Requests and questions 请求与咨询", 20, office_hours.stored.id,
             R"("targets": {"first_response": 240, "resolution": 2400})"));
  ASSIGN_OR_RETURN(auto catalog, load_catalogs(s, actor, club.id, university.id, desk_team.id, fleet_team.id));

  // A few tickets of the car-share story, raised the way people raise them.
  ASSIGN_OR_RETURN(auto people, s.db.read([&](storage::Connection& c) {
    return storage::users::list(c, storage::Scope::system(), {university.id, std::nullopt, std::nullopt}, {50, ""});
  }));
  auto actor_of = [&](std::string_view email) -> std::optional<identity::Actor> {
    for (const auto& u : people.items)
      if (u.email == email) return identity::Actor{u.id, u.organization_id, u.roles, u.represented_user_ids, u.language};
    return std::nullopt;
  };
  struct Story {
    const char* by;
    tickets::Type type;
    const char* subject;
    const char* description;
  };
  const Story stories[] = {
      {"zhang.wei@university.example", tickets::Type::incident, "车辆无法解锁",
       "在图书馆停车点，App 显示已预订，但车门无法解锁，已尝试三次。"},
      {"emma.wilson@university.example", tickets::Type::complaint, "The car was left dirty and late",
       "The previous user returned the car 40 minutes late and the interior was dirty; I missed my appointment."},
      {"zhang.wei@university.example", tickets::Type::service_request, "申请周末长租",
       "本周六早上8点到周日晚上8点需要一辆七座车，用于社团外出。"},
      {"emma.wilson@university.example", tickets::Type::consultation, "How is damage insurance charged?",
       "If I scratch a car, what does the insurance cover and how much would I pay?"},
  };
  for (const auto& story : stories) {
    auto who = actor_of(story.by);
    if (!who) continue;
    NewTicket t;
    t.type = story.type;
    t.subject = story.subject;
    t.description = story.description;
    TRY(create_ticket(s, *who, t, tickets::Channel::portal));
    ++summary.tickets;
  }
  // DESK-5: a laptop requested through the catalog, approved by the fleet office (the
  // university's customer), its first fulfilment task done by the desk: the rest are under way.
  auto student = actor_of("zhang.wei@university.example");
  auto fleet_office = actor_of("fleet.office@university.example");
  if (student && fleet_office && !agent_ids.empty()) {
    NewRequest laptop;
    laptop.request_type_id = catalog.laptop_id;
    laptop.answers_json = R"({"model": "standard", "reason": "毕业设计需要运行仿真软件，现有电脑性能不足。"})";
    ASSIGN_OR_RETURN(auto requested, submit_request(s, *student, laptop, tickets::Channel::portal));
    ++summary.tickets;
    TRY(decide_approval(s, *fleet_office, requested.id, catalog::Decision::approved, "同意，费用由学院设备预算支出。"));
    identity::Actor desk_agent{agent_ids.front(), "", {Role::agent}, {}, "zh-CN"};
    ASSIGN_OR_RETURN(auto tasks, request_tasks(s, desk_agent, requested.id));
    TaskPatch ordered;
    ordered.state = catalog::TaskState::done;
    ordered.note = "已向框架协议供应商下单，预计三个工作日到货。";
    for (const auto& task : tasks)
      if (task.key == "order") ordered.expected_version = task.version;
    TRY(update_task(s, desk_agent, requested.id, "order", ordered));
  }
  ASSIGN_OR_RETURN(auto manager_id, s.db.read([](storage::Connection& c) {
    return storage::users::owner_of_identity(c, "email", "grace.chen@campus-mobility.example");
  }));
  auto newcomer = actor_of("emma.wilson@university.example");
  if (manager_id && fleet_office && newcomer) {
    ASSIGN_OR_RETURN(auto manager, s.db.read([&](storage::Connection& c) { return storage::users::active_actor(c, *manager_id); }));
    if (manager) TRY(load_onboarding(s, *manager, *fleet_office, university.id, newcomer->user_id, office_hours.stored.id));
  }
  // ONB-8: the club member's driving licence, approved by the desk until two years from now; the
  // safety training and the terms are still hers to do.
  ASSIGN_OR_RETURN(auto member, s.db.read([](storage::Connection& c) -> Result<std::optional<identity::Actor>> {
    ASSIGN_OR_RETURN(auto id, storage::users::owner_of_identity(c, "email", "chen.jing@greenway-club.example"));
    if (!id) return std::optional<identity::Actor>();
    return storage::users::active_actor(c, *id);
  }));
  if (member && !agent_ids.empty()) {
    ASSIGN_OR_RETURN(auto given, submit_evidence(s, *member, catalog.licence_id, {"驾驶证 C1，照片已上传到会员档案。", std::nullopt}));
    identity::Actor desk_agent{agent_ids.front(), "", {Role::agent}, {}, "zh-CN"};
    auto until = day_text(date::floor<date::days>(s.clock.now()) + date::days(730));
    TRY(decide_evidence(s, desk_agent, given.id, {"approved", "驾驶证有效，准驾车型 C1。", until}));
    // OFF-1: the key of the club car she has on loan, to come back when she leaves.
    AssetInput key{"车钥匙 Car key — 沪A·EV123", "car_key", member->user_id, std::nullopt, std::nullopt};
    TRY(create_asset(s, actor, key));
    // OFF-2: her own Regular membership since the first of the month, a year paid ahead (two
    // months free): if she leaves mid-year, the whole days left come back on a credit note.
    auto month = date::format("%Y-%m", date::floor<date::days>(s.clock.now()));
    auto first = billing::parse_period(month)->start;
    ASSIGN_OR_RETURN(auto own, create_subscription(s, actor, {catalog.regular_tier_id, std::nullopt, member->user_id, first, std::nullopt}));
    TRY(record_prepayment(s, actor, {own.id, month, 12, "300.00"}));
  }
  // DESK-11: the club's bookings this month, priced by its Regular tier, and the month's draft
  // invoice with its prorated fee.
  ASSIGN_OR_RETURN(auto driver, s.db.read([](storage::Connection& c) {
    return storage::users::owner_of_identity(c, "email", "chen.jing@greenway-club.example");
  }));
  for (int i = 0; i < 3; ++i) {
    NewUsage booking{club.id, driver, "booking", i + 1, std::nullopt, "demo-booking-" + std::to_string(i + 1)};
    TRY(record_usage(s, actor, booking));
  }
  auto month = date::format("%Y-%m", date::floor<date::days>(s.clock.now()));
  TRY(run_invoices(s, actor, month));
  if (!agent_ids.empty()) {
    identity::Actor writer{agent_ids.front(), "", {Role::agent}, {}, "zh-CN"};
    TRY(load_knowledge(s, writer, catalog, university.id));
    TRY(load_community(s, writer, catalog, university.id, club.id, actor_of));
  }
  return summary;
}

namespace {

constexpr const char* kSubjects[] = {
    "车辆无法解锁", "App 无法登录", "充电桩故障", "预订被取消", "账单金额不对", "车内有异味", "轮胎气压不足", "钥匙柜打不开",
    "打印机卡纸", "网络很慢", "无法连接VPN服务器", "Car will not unlock", "Charging point is broken", "Booking disappeared",
    "Charged twice for one trip", "Printer prints blank pages", "Wi-Fi drops in the dorm", "Cannot log in to the app",
    "Scratch on the rear door", "Late return by previous user"};
constexpr const char* kPhrases[] = {
    "从宿舍无法连接，提示超时。", "已经尝试重启，问题依旧。", "请尽快处理，明天上午需要用车。", "停车点在图书馆东侧。",
    "照片已经上传到附件。", "This happened twice this week.", "I tried restarting the app, no change.",
    "Please call me back after 5 pm.", "The car is parked at the north gate.", "Error code E42 on the screen.",
    "上次也遇到过类似情况。", "Thanks for the quick help last time."};
constexpr const char* kReplies[] = {
    "我们已收到，正在安排工程师检查。", "请尝试重新安装 App 并告知结果。", "已为您退还重复扣款。", "车辆已派人清洁。",
    "We have reset the lock remotely; please try again.", "A technician will visit the charging point today.",
    "Your refund has been issued.", "Could you send a photo of the dashboard?"};

template <std::size_t N>
const char* pick(std::mt19937& rng, const char* const (&items)[N]) {
  return items[std::uniform_int_distribution<std::size_t>(0, N - 1)(rng)];
}

}  // namespace

Result<Generated> generate_tickets(const Services& s, std::int64_t count, int comments_per_ticket, std::uint32_t seed,
                                   const std::function<void(std::int64_t)>& progress) {
  if (count < 1 || count > 100'000'000 || comments_per_ticket < 0 || comments_per_ticket > 100)
    return fail(Code::invalid_argument, "Give 1 to 100,000,000 tickets and 0 to 100 comments per ticket.");
  ASSIGN_OR_RETURN(auto people, s.db.read([&](storage::Connection& c) -> Result<std::vector<storage::User>> {
    std::vector<storage::User> out;
    ASSIGN_OR_RETURN(auto page, storage::users::list(c, storage::Scope::system(), {}, {500, ""}));
    for (auto& u : page.items) out.push_back(std::move(u));
    return out;
  }));
  // Tickets are raised by the demo organisation's people only, whoever else the store holds.
  std::string demo_org;
  for (const auto& u : people)
    if (u.email == "zhang.wei@university.example") demo_org = u.organization_id;
  std::vector<const storage::User*> consumers, staff;
  for (const auto& u : people) {
    if (identity::is_staff(u.roles)) staff.push_back(&u);
    else if (u.organization_id == demo_org) consumers.push_back(&u);
  }
  if (consumers.empty() || staff.empty()) return fail(Code::failed_precondition, "Load the demo first: run tandem demo.");
  // About twenty tickets per person, as on a real desk: new members of the demo organisation
  // (without a password) raise most of them.
  std::vector<std::string> requesters;
  for (const auto* u : consumers) requesters.push_back(u->id);
  const std::int64_t members = count / 20;
  for (std::int64_t made = 0; made < members;) {
    auto in_batch = std::min<std::int64_t>(1000, members - made);
    TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
      for (std::int64_t i = 0; i < in_batch; ++i) {
        storage::User u;
        u.id = new_id("usr", s.clock.now());
        u.organization_id = demo_org;
        u.email = "member-" + u.id.substr(4) + "@generated.example";
        u.name = "Member " + std::to_string(made + i + 1);
        u.roles = {identity::Role::user};
        u.language = (made + i) % 2 ? "en" : "zh-CN";
        u.time_zone = "Asia/Shanghai";
        u.identities = {{"email", u.email, u.email}};
        u.created_at = u.updated_at = to_millis(s.clock.now());
        TRY(storage::users::insert(c, u, std::nullopt));
        requesters.push_back(u.id);
      }
      return {};
    }));
    made += in_batch;
  }

  std::mt19937 rng(seed);
  Generated done;
  const std::int64_t batch = 1000;
  auto now = s.clock.now();
  while (done.tickets < count) {
    auto in_batch = std::min(batch, count - done.tickets);
    TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
      for (std::int64_t i = 0; i < in_batch; ++i) {
        const auto& requester_id = requesters[std::uniform_int_distribution<std::size_t>(0, requesters.size() - 1)(rng)];
        const auto& agent = *staff[std::uniform_int_distribution<std::size_t>(0, staff.size() - 1)(rng)];
        storage::Ticket t;
        t.id = new_id("tkt", now);
        ASSIGN_OR_RETURN(t.number, storage::ticket_store::next_number(c));
        t.organization_id = demo_org;
        t.type = tickets::all_types()[std::uniform_int_distribution<std::size_t>(0, tickets::all_types().size() - 1)(rng)];
        t.channel = tickets::Channel::portal;
        t.subject = pick(rng, kSubjects);
        t.description = std::string(pick(rng, kPhrases)) + " " + pick(rng, kPhrases);
        t.requester_id = requester_id;
        t.impact = tickets::all_levels()[std::uniform_int_distribution<std::size_t>(0, 2)(rng)];
        t.urgency = tickets::all_levels()[std::uniform_int_distribution<std::size_t>(0, 2)(rng)];
        t.priority = tickets::all_priorities()[std::uniform_int_distribution<std::size_t>(0, 3)(rng)];
        const auto& flow = tickets::Workflows::builtin().of(t.type);
        t.status = flow.state_names()[std::uniform_int_distribution<std::size_t>(0, flow.states.size() - 1)(rng)];
        if (std::uniform_int_distribution<int>(0, 2)(rng) > 0) t.assignee_id = agent.id;
        t.created_at = t.updated_at = to_millis(now);
        std::vector<storage::TicketEvent> events;
        auto event = [&](std::string kind, const std::string& actor, std::string body) {
          events.push_back({new_id("evt", now), t.id, std::int64_t(events.size() + 1), std::move(kind), actor, t.channel,
                            storage::Visibility::public_, std::move(body), "{}", to_millis(now)});
        };
        event("created", requester_id, t.description);
        for (int k = 0; k < comments_per_ticket; ++k) event("comment", k % 2 ? requester_id : agent.id, pick(rng, kReplies));
        t.last_seq = std::int64_t(events.size());
        TRY(storage::ticket_store::insert(c, t));
        for (const auto& e : events) TRY(storage::timeline::append(c, e));
        done.comments += comments_per_ticket;
        // Spread creation over time so that sorts and cursors see distinct instants.
        now += std::chrono::milliseconds(1);
      }
      return {};
    }));
    done.tickets += in_batch;
    if (progress) progress(done.tickets);
  }
  TRY(s.db.write([&](storage::Connection& c) {
    return record(c, s, system_actor(),
                  {"demo.generate", "ticket", "", "", std::nullopt,
                   "generated tickets=" + std::to_string(done.tickets) + " comments=" + std::to_string(done.comments) +
                       " seed=" + std::to_string(seed) + "\n"});
  }));
  return done;
}

}  // namespace tandem::usecase

namespace tandem::usecase {
namespace {

constexpr const char* kKnowledgeTitles[] = {
    "VPN 连接超时怎么办", "打印机驱动安装指南", "连接 eduroam 无线网络", "如何给电动车充电", "预订车辆的步骤", "账单金额说明",
    "钥匙柜打不开怎么办", "App 登录失败", "How to reset your password", "Printing from a laptop", "Booking a car for the weekend",
    "Charging point does not start", "Returning the car after hours", "Wi-Fi drops in the dorm", "Paying your membership",
    "Reporting damage to a car"};
constexpr const char* kKnowledgeSentences[] = {
    "先确认电脑已连上校园网络。", "退出客户端后重新打开。", "把会员卡贴在充电桩的感应区。", "插上充电枪，指示灯变绿即开始充电。",
    "还车时电量请不低于 30%。", "在服务目录中选择车辆和时间。", "打印出空白页时，请检查墨粉。", "宿舍信号弱时请靠近走廊的接入点。",
    "Check that you are on the campus network first.", "Quit the client and open it again.", "Tap your member card on the charging point.",
    "Plug in: the light turns green while it charges.", "Choose the car and the time in the service catalog.",
    "Blank pages usually mean the toner is low.", "Move closer to the access point in the corridor.", "Call the desk if nothing helps."};

}  // namespace

Result<GeneratedKnowledge> generate_knowledge(const Services& s, std::int64_t documents, std::uint32_t seed,
                                              const std::function<void(std::int64_t)>& progress) {
  if (documents < 1 || documents > 10'000'000) return fail(Code::invalid_argument, "Give 1 to 10,000,000 documents.");
  ASSIGN_OR_RETURN(auto people, s.db.read([&](storage::Connection& c) -> Result<std::vector<storage::User>> {
    ASSIGN_OR_RETURN(auto page, storage::users::list(c, storage::Scope::system(), {}, {500, ""}));
    return std::move(page.items);
  }));
  std::string demo_org;
  std::vector<std::string> staff, members;
  for (const auto& u : people) {
    if (u.email == "zhang.wei@university.example") demo_org = u.organization_id;
    if (identity::is_staff(u.roles)) staff.push_back(u.id);
  }
  for (const auto& u : people)
    if (!identity::is_staff(u.roles) && u.organization_id == demo_org) members.push_back(u.id);
  if (staff.empty() || members.size() < 2) return fail(Code::failed_precondition, "Load the demo first: run tandem demo.");
  auto now = to_millis(s.clock.now());
  storage::Space space{new_id("spc", s.clock.now()), "Generated Q&A", std::nullopt, "zh-CN", {}, 1, now, now};
  TRY(s.db.write([&](storage::Connection& c) { return storage::spaces::insert(c, space); }));

  std::mt19937 rng(seed);
  auto pick = [&](const auto& items) { return items[std::uniform_int_distribution<std::size_t>(0, std::size(items) - 1)(rng)]; };
  auto text = [&](int sentences) {
    std::string out;
    for (int i = 0; i < sentences; ++i) out += std::string(pick(kKnowledgeSentences)) + (i % 3 == 2 ? "\n\n" : " ");
    return out;
  };
  GeneratedKnowledge done;
  const std::int64_t batch = 500;
  while (done.articles + done.posts < documents) {
    auto in_batch = std::min(batch, documents - done.articles - done.posts);
    TRY(s.db.write([&](storage::Connection& c) -> Result<void> {
      for (std::int64_t i = 0; i < in_batch; ++i) {
        auto n = done.articles + done.posts + i;
        auto title = std::string(pick(kKnowledgeTitles)) + " #" + std::to_string(n + 1);
        if (n % 2 == 0) {
          storage::Article a;
          a.id = new_id("art", s.clock.now());
          a.language = (n / 2) % 2 ? "en" : "zh-CN";
          a.state = knowledge::ArticleState::published;
          a.author_id = staff[std::size_t(n) % staff.size()];
          a.created_at = a.updated_at = now - std::int64_t(n) * 60'000;
          a.published_at = a.created_at;
          if (n % 20 == 0) a.audience.organization_ids = {demo_org};
          TRY(storage::articles::insert(c, a));
          storage::ArticleText t{a.id, a.language, 1, title, text(6), a.author_id, a.created_at};
          TRY(storage::articles::add_text(c, t));
          TRY(storage::knowledge_index::put(c, {"article", a.id, a.id, a.language, {}, t.title, markup::markdown_to_text(t.body),
                                                std::int64_t(n % 7), std::int64_t(n % 3), a.updated_at}));
        } else {
          // A question and its accepted answer: two documents of the index.
          storage::Topic topic;
          topic.id = new_id("tpc", s.clock.now());
          topic.space_id = space.id;
          topic.title = title;
          topic.author_id = members[std::size_t(n) % members.size()];
          topic.first_post_id = new_id("pst", s.clock.now());
          topic.accepted_post_id = new_id("pst", s.clock.now());
          topic.replies = 1;
          topic.last_activity_at = topic.created_at = now - std::int64_t(n) * 60'000;
          TRY(storage::topics::insert(c, topic));
          auto question = text(2), answer = text(4);
          TRY(storage::posts::insert(c, {topic.first_post_id, topic.id, topic.author_id, question, false, false, false, 0, topic.created_at, std::nullopt}));
          TRY(storage::posts::insert(c, {*topic.accepted_post_id, topic.id, members[std::size_t(n + 1) % members.size()], answer, false, false, false,
                                         2, topic.created_at, std::nullopt}));
          TRY(storage::knowledge_index::put(c, {"topic", topic.id, space.id, space.language, {}, topic.title, question, 0, 0, topic.created_at}));
          TRY(storage::knowledge_index::put(c, {"answer", *topic.accepted_post_id, space.id, space.language, {}, topic.title, answer, 2, 0,
                                                topic.created_at}));
        }
      }
      return {};
    }));
    auto start = done.articles + done.posts;
    for (std::int64_t i = 0; i < in_batch; ++i) ++((start + i) % 2 == 0 ? done.articles : done.posts);
    if (progress) progress(done.articles + done.posts);
  }
  return done;
}

}  // namespace tandem::usecase
