// formica keygen | sign | verify | hash (../shared/CLI.md, "Keys, signatures, hashes").
//
// Passwords come from --password-file, or from a no-echo prompt when stdin is a terminal;
// when stdin is not a terminal and no file is given, the command exits 2 and never prompts.

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "args.h"
#include "commands.h"
#include "formica/base/encoding.h"
#include "formica/crypto/address.h"
#include "formica/crypto/hash.h"
#include "formica/crypto/keyfile.h"
#include "formica/crypto/signature.h"

namespace formica::cli {
namespace {

// A password that zeroes itself when it goes out of scope.
struct Password {
  std::string text;
  Password() = default;
  Password(const Password&) = delete;
  Password& operator=(const Password&) = delete;
  ~Password() { secure_zero(text.data(), text.size()); }
};

// Reads one line from the terminal on stdin with echo off. Empty result on EOF.
bool prompt_no_echo(const char* prompt, Password& out) {
  std::cerr << prompt << std::flush;
  termios old{};
  bool restore = ::tcgetattr(STDIN_FILENO, &old) == 0;
  if (restore) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  bool ok = static_cast<bool>(std::getline(std::cin, out.text));
  if (restore) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::cerr << "\n";
  return ok;
}

// Fills `out` from --password-file (one trailing newline is not part of the password) or a
// terminal prompt. Returns an exit code other than kExitOk on failure (already reported).
int get_password(const std::string& verb, const Args& args, bool confirm, Password& out) {
  if (auto file = args.get("password-file")) {
    auto bytes = read_input(*file, 4096);
    if (!bytes.ok()) return fail(kExitUsage, verb, "password file: " + bytes.error().message);
    out.text.assign(bytes->begin(), bytes->end());
    secure_zero(*bytes);
    if (!out.text.empty() && out.text.back() == '\n') out.text.pop_back();
    if (!out.text.empty() && out.text.back() == '\r') out.text.pop_back();
  } else if (::isatty(STDIN_FILENO) == 1) {
    if (!prompt_no_echo("password: ", out)) return fail(kExitUsage, verb, "no password entered");
    if (confirm) {
      Password again;
      if (!prompt_no_echo("repeat password: ", again) || again.text != out.text)
        return fail(kExitUsage, verb, "passwords do not match");
    }
  } else {
    return fail(kExitUsage, verb, "a password is needed: give --password-file (stdin is not a terminal)");
  }
  if (out.text.empty()) return fail(kExitUsage, verb, "empty password");
  return kExitOk;
}

bool file_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

}  // namespace

int cmd_keygen(const Words& w) {
  auto args = Args::parse(w, {{"scheme"}, {"out"}, {"password-file"}, {"json", false}});
  if (!args.ok()) return fail("keygen", args.error());
  if (!args->positional().empty())
    return fail(kExitUsage, "keygen", "unexpected argument " + args->positional()[0]);
  auto scheme_text = args->get("scheme");
  auto out = args->get("out");
  if (!scheme_text || !out)
    return fail(kExitUsage, "keygen",
                "usage: formica keygen --scheme S --out FILE [--password-file P] [--json]");
  auto scheme = crypto::parse_scheme(*scheme_text);
  if (!scheme.ok()) return fail("keygen", scheme.error());
  // Never overwrite a key: that would destroy the only copy of a secret.
  if (file_exists(*out))
    return fail(kExitUsage, "keygen", *out + ": already exists (refusing to overwrite a key)");
  Password password;
  if (int rc = get_password("keygen", *args, true, password); rc != kExitOk) return rc;

  crypto::PrivateKey key = crypto::PrivateKey::generate(*scheme);
  auto text = crypto::encrypt_key_file(key, password.text);
  if (!text.ok()) return fail("keygen", text.error());
  if (auto st = write_file_atomic(*out, as_bytes(*text), 0600); !st.ok()) return fail("keygen", st.error());

  std::string pub = key.public_key().to_hex();
  std::string address = crypto::Address::of(key.public_key()).to_string();
  if (args->has("json")) {
    nlohmann::ordered_json j = {
        {"scheme", crypto::scheme_name(*scheme)}, {"public_key", pub}, {"address", address}};
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "scheme: " << crypto::scheme_name(*scheme) << "\npublic_key: " << pub
              << "\naddress: " << address << "\n";
  }
  return kExitOk;
}

int cmd_sign(const Words& w) {
  auto args = Args::parse(w, {{"key"}, {"password-file"}, {"in"}});
  if (!args.ok()) return fail("sign", args.error());
  if (!args->positional().empty())
    return fail(kExitUsage, "sign", "unexpected argument " + args->positional()[0]);
  auto key_path = args->get("key");
  if (!key_path)
    return fail(kExitUsage, "sign", "usage: formica sign --key FILE [--password-file P] [--in FILE]");
  if (*key_path == "-") return fail(kExitUsage, "sign", "the key must be a file, not stdin");
  auto file = read_input(*key_path, crypto::kKeyFileMaxBytes);
  if (!file.ok()) return fail(kExitUsage, "sign", "key file: " + file.error().message);
  // Check the file before asking for a password: a malformed file is exit 2 straight away.
  if (auto parsed = crypto::parse_key_file(*file); !parsed.ok()) return fail("sign", parsed.error());
  Password password;
  if (int rc = get_password("sign", *args, false, password); rc != kExitOk) return rc;
  auto key = crypto::decrypt_key_file(*file, password.text);
  if (!key.ok()) return fail("sign", key.error());
  auto message = read_input(args->get_or("in", "-"));
  if (!message.ok()) return fail(kExitUsage, "sign", "input: " + message.error().message);
  std::cout << base::to_hex(crypto::sign(*key, *message)) << "\n";
  return kExitOk;
}

int cmd_verify(const Words& w) {
  auto args = Args::parse(w, {{"scheme"}, {"pub"}, {"sig"}, {"in"}});
  if (!args.ok()) return fail("verify", args.error());
  if (!args->positional().empty())
    return fail(kExitUsage, "verify", "unexpected argument " + args->positional()[0]);
  auto scheme_text = args->get("scheme");
  auto pub_hex = args->get("pub");
  auto sig_hex = args->get("sig");
  if (!scheme_text || !pub_hex || !sig_hex)
    return fail(kExitUsage, "verify", "usage: formica verify --scheme S --pub HEX --sig HEX [--in FILE]");
  auto scheme = crypto::parse_scheme(*scheme_text);
  if (!scheme.ok()) return fail("verify", scheme.error());
  auto pub_bytes = base::from_hex(*pub_hex);
  if (!pub_bytes.ok()) return fail(kExitUsage, "verify", "--pub: " + pub_bytes.error().message);
  auto sig = base::from_hex(*sig_hex);
  if (!sig.ok()) return fail(kExitUsage, "verify", "--sig: " + sig.error().message);
  auto pub = crypto::PublicKey::from_bytes(*scheme, *pub_bytes);
  if (!pub.ok()) return fail(kExitUsage, "verify", "--pub: " + pub.error().message);
  if (auto st = crypto::check_signature_encoding(*scheme, *sig); !st.ok())
    return fail(kExitUsage, "verify", "--sig: " + st.error().message);
  auto message = read_input(args->get_or("in", "-"));
  if (!message.ok()) return fail(kExitUsage, "verify", "input: " + message.error().message);
  if (!crypto::verify(*pub, *message, *sig)) return fail(kExitCheckFailed, "verify", "signature is invalid");
  std::cout << "valid\n";
  return kExitOk;
}

int cmd_hash(const Words& w) {
  auto args = Args::parse(w, {{"alg"}, {"in"}});
  if (!args.ok()) return fail("hash", args.error());
  if (!args->positional().empty())
    return fail(kExitUsage, "hash", "unexpected argument " + args->positional()[0]);
  auto alg_text = args->get("alg");
  if (!alg_text)
    return fail(kExitUsage, "hash", "usage: formica hash --alg sha256|sm3|keccak256|blake2b-256 [--in FILE]");
  auto alg = crypto::parse_hash_alg(*alg_text);
  if (!alg.ok()) return fail("hash", alg.error());
  auto data = read_input(args->get_or("in", "-"));
  if (!data.ok()) return fail(kExitUsage, "hash", "input: " + data.error().message);
  std::cout << base::to_hex(crypto::hash(*alg, *data)) << "\n";
  return kExitOk;
}

}  // namespace formica::cli
