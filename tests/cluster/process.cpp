#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
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

TempNet::TempNet(const std::string& name, int validators, int orgs) {
  dir = fs::temp_directory_path() / ("formica-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  node::LocalNetOptions o;
  o.dir = dir;
  o.kdf = crypto::KdfParams::minimum();
  o.validators = validators;
  o.orgs = orgs;
  net = *node::init_local_net(o);
  // Move every node to free ports so tests can run side by side.
  std::vector<std::uint16_t> rpc_ports, p2p_ports;
  for (std::size_t i = 0; i < net.nodes.size(); ++i) {
    rpc_ports.push_back(free_port());
    p2p_ports.push_back(free_port());
  }
  auto read_json = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return codec::Json::parse(ss.str());
  };
  for (std::size_t i = 0; i < net.nodes.size(); ++i) {
    auto cfg = read_json(net.nodes[i].config);
    cfg["rpc"]["port"] = rpc_ports[i];
    cfg["p2p"]["port"] = p2p_ports[i];
    for (auto& peer : cfg["p2p"]["peers"]) {
      const std::string pn = peer["name"].get<std::string>();
      for (std::size_t k = 0; k < net.nodes.size(); ++k)
        if (net.nodes[k].name == pn) peer["port"] = p2p_ports[k];
    }
    std::ofstream(net.nodes[i].config, std::ios::trunc) << cfg.dump(2);
    net.nodes[i].rpc_port = rpc_ports[i];
    net.nodes[i].p2p_port = p2p_ports[i];
  }
  auto layout = read_json(dir / "net.json");
  for (std::size_t i = 0; i < net.nodes.size(); ++i) {
    layout["nodes"][i]["rpc_port"] = rpc_ports[i];
    layout["nodes"][i]["p2p_port"] = p2p_ports[i];
  }
  std::ofstream(dir / "net.json", std::ios::trunc) << layout.dump(2);
  rpc_url = "http://127.0.0.1:" + std::to_string(rpc_ports[0]);
}

std::string TempNet::rpc_of(std::size_t i) const {
  return "http://127.0.0.1:" + std::to_string(net.nodes.at(i).rpc_port);
}

TempNet::~TempNet() {
  if (std::getenv("FORMICA_KEEP_TEST_DIRS") != nullptr) return;  // for reading the nodes' logs
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace formica::testing
