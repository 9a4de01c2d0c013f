// `carescan admin`: offices, their API keys, reviewers and administrators, straight in the store.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "core/json_util.h"
#include "service/secrets.h"
#include "service/views.h"
#include "store/store.h"

namespace carescan::cli {
namespace {

struct AdminArgs {
  std::string store_url;
  std::string code;
  std::string name;
  std::string label;
  std::string username;
  std::string role = "reviewer";
  long long key_id = 0;
};

std::unique_ptr<store::Store> open(const Context& ctx, const AdminArgs& args,
                                   core::Config& cfg_out) {
  cfg_out = ctx.load();
  core::StorageConfig storage = cfg_out.storage;
  if (!args.store_url.empty()) storage.url = args.store_url;
  return store::open_store(storage);
}

store::Office office_named(store::Store& store, const std::string& code) {
  auto office = store.find_office_by_code(code);
  if (!office) throw core::DataError("no office '" + code + "' (carescan admin office list)");
  return *office;
}

// A password never goes on the command line (shell history, ps): one line on standard input.
std::string read_password() {
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.size() < 12) throw core::DataError("the password must have at least 12 characters");
  return password;
}

using Action = int (*)(store::Store&, const core::Config&, const AdminArgs&);

int office_add(store::Store& s, const core::Config&, const AdminArgs& a) {
  const auto o = s.create_office(a.code, a.name.empty() ? a.code : a.name);
  std::printf("office %s created (id %lld)\n", o.code.c_str(), static_cast<long long>(o.id));
  return 0;
}

int office_list(store::Store& s, const core::Config&, const AdminArgs&) {
  for (const auto& o : s.list_offices()) {
    std::printf("%-20s %s\n", o.code.c_str(), o.name.c_str());
  }
  return 0;
}

int key_issue(store::Store& s, const core::Config&, const AdminArgs& a) {
  const auto office = office_named(s, a.code);
  const std::string key = service::new_api_key();
  const auto k = s.add_api_key(office.id, key.substr(0, 12), service::token_hash(key), a.label);
  std::fprintf(stderr, "key %lld for %s; it is shown once, store it now:\n",
               static_cast<long long>(k.id), office.code.c_str());
  std::printf("%s\n", key.c_str());
  return 0;
}

int key_list(store::Store& s, const core::Config&, const AdminArgs& a) {
  const auto office = office_named(s, a.code);
  for (const auto& k : s.list_api_keys(office.id)) {
    std::printf("%-6lld %-14s %-20s %s\n", static_cast<long long>(k.id), k.prefix.c_str(),
                k.label.c_str(),
                k.revoked_at ? ("revoked " + service::iso_time(*k.revoked_at)).c_str() : "active");
  }
  return 0;
}

int key_revoke(store::Store& s, const core::Config&, const AdminArgs& a) {
  if (!s.revoke_api_key(a.key_id)) {
    throw core::DataError("no active key " + std::to_string(a.key_id));
  }
  std::printf("key %lld revoked\n", a.key_id);
  return 0;
}

int user_add(store::Store& s, const core::Config& cfg, const AdminArgs& a) {
  const auto role = store::parse_role(a.role);
  if (!role) throw core::DataError("--role must be reviewer or admin");
  const std::string hash = service::hash_password(read_password(), cfg.service.password_iterations);
  const auto u = s.create_user(a.username, a.name.empty() ? a.username : a.name, *role, hash);
  std::printf("%s %s created\n", std::string(store::to_string(u.role)).c_str(), u.username.c_str());
  return 0;
}

int user_password(store::Store& s, const core::Config& cfg, const AdminArgs& a) {
  const auto u = s.find_user_by_name(a.username);
  if (!u) throw core::DataError("no user '" + a.username + "'");
  s.set_password_hash(u->id,
                      service::hash_password(read_password(), cfg.service.password_iterations));
  std::printf("password of %s changed\n", u->username.c_str());
  return 0;
}

int user_disable(store::Store& s, const core::Config&, const AdminArgs& a) {
  const auto u = s.find_user_by_name(a.username);
  if (!u) throw core::DataError("no user '" + a.username + "'");
  s.set_user_disabled(u->id, true);
  std::printf("%s disabled\n", u->username.c_str());
  return 0;
}

int user_list(store::Store& s, const core::Config&, const AdminArgs&) {
  for (const auto& u : s.list_users()) {
    std::printf("%-20s %-9s %s\n", u.username.c_str(),
                std::string(store::to_string(u.role)).c_str(), u.disabled ? "disabled" : "active");
  }
  return 0;
}

void action(CLI::App* parent, const std::string& name, const std::string& help, Action act,
            const Context& ctx, Runner& run, const std::shared_ptr<AdminArgs>& args,
            const std::function<void(CLI::App*)>& options = {}) {
  auto* cmd = parent->add_subcommand(name, help);
  if (options) options(cmd);
  cmd->callback([&ctx, &run, args, act] {
    run = [&ctx, args, act] {
      core::Config cfg;
      auto store = open(ctx, *args, cfg);
      return act(*store, cfg, *args);
    };
  });
}

}  // namespace

void add_admin_command(CLI::App& app, const Context& ctx, Runner& run) {
  auto args = std::make_shared<AdminArgs>();
  auto* admin = app.add_subcommand("admin", "Manage offices, API keys, reviewers, administrators");
  admin->require_subcommand(1);
  admin->add_option("--store", args->store_url, "store URL (default: from the config)");

  auto* office = admin->add_subcommand("office", "ONOUSC offices that send documents");
  office->require_subcommand(1);
  action(office, "add", "Add an office", office_add, ctx, run, args, [args](CLI::App* c) {
    c->add_option("code", args->code, "short code (casa-anfa)")->required();
    c->add_option("--name", args->name, "full name");
  });
  action(office, "list", "List offices", office_list, ctx, run, args);

  auto* key = admin->add_subcommand("key", "Offices' API keys");
  key->require_subcommand(1);
  action(key, "issue", "Issue a key (printed once)", key_issue, ctx, run, args,
         [args](CLI::App* c) {
           c->add_option("office", args->code, "office code")->required();
           c->add_option("--label", args->label, "what the key is for (scanner-2)");
         });
  action(key, "list", "List an office's keys", key_list, ctx, run, args,
         [args](CLI::App* c) { c->add_option("office", args->code, "office code")->required(); });
  action(key, "revoke", "Revoke a key", key_revoke, ctx, run, args, [args](CLI::App* c) {
    c->add_option("id", args->key_id, "key id (carescan admin key list)")->required();
  });

  auto* user = admin->add_subcommand("user", "Reviewers and administrators");
  user->require_subcommand(1);
  action(user, "add", "Add a user; the password is read from standard input", user_add, ctx, run,
         args, [args](CLI::App* c) {
           c->add_option("username", args->username)->required();
           c->add_option("--role", args->role, "reviewer or admin");
           c->add_option("--name", args->name, "display name");
         });
  action(user, "password", "Set a password (from standard input)", user_password, ctx, run, args,
         [args](CLI::App* c) { c->add_option("username", args->username)->required(); });
  action(user, "disable", "Disable a user", user_disable, ctx, run, args,
         [args](CLI::App* c) { c->add_option("username", args->username)->required(); });
  action(user, "list", "List users", user_list, ctx, run, args);
}

}  // namespace carescan::cli
