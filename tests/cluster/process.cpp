#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "formica/rpc/client.h"

namespace formica::testing {

namespace fs = std::filesystem;

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

int run_cli(const std::vector<std::string>& args, std::string* out, std::string* err) {
  fs::path tmp_out = fs::temp_directory_path() /
                     ("formica-cli-out-" + std::to_string(::getpid()) + "-" +
                      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::path tmp_err = tmp_out.string() + ".err";
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open(tmp_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(tmp_err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::dup2(in, 0);
    std::vector<char*> argv;
    std::string bin = FORMICA_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  if (out) *out = slurp(tmp_out);
  if (err) *err = slurp(tmp_err);
  fs::remove(tmp_out);
  fs::remove(tmp_err);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

bool NodeProcess::start() {
  pid_ = ::fork();
  if (pid_ == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    std::string bin = FORMICA_BINARY, cfg = config_.string();
    ::execl(bin.c_str(), bin.c_str(), "node", "--config", cfg.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // The config's RPC port.
  std::ifstream in(config_);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = codec::Json::parse(ss.str());
  rpc::Client c("http://127.0.0.1:" + std::to_string(j["rpc"]["port"].get<int>()));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (c.call("status", codec::Json::object(), 500).ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void NodeProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

bool NodeProcess::stop() {
  if (pid_ <= 0) return true;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TempNet::TempNet(const std::string& name) {
  dir = fs::temp_directory_path() / ("formica-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::LocalNetOptions o;
  o.dir = dir;
  o.kdf = crypto::KdfParams::minimum();
  net = *node::init_local_net(o);
  // Move the node to a free port so tests can run side by side.
  std::uint16_t port = free_port();
  std::ifstream in(net.nodes[0].config);
  std::stringstream ss;
  ss << in.rdbuf();
  in.close();
  auto cfg = codec::Json::parse(ss.str());
  cfg["rpc"]["port"] = port;
  std::ofstream(net.nodes[0].config, std::ios::trunc) << cfg.dump(2);
  std::ifstream lin(dir / "net.json");
  std::stringstream ls;
  ls << lin.rdbuf();
  lin.close();
  auto layout = codec::Json::parse(ls.str());
  layout["nodes"][0]["rpc_port"] = port;
  std::ofstream(dir / "net.json", std::ios::trunc) << layout.dump(2);
  net.nodes[0].rpc_port = port;
  rpc_url = "http://127.0.0.1:" + std::to_string(port);
}

TempNet::~TempNet() {
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace formica::testing
