// With a certificate and key configured, the API answers over TLS only.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "harness.h"
#include "service/server.h"

namespace carescan::testing {
namespace {

TEST(Tls, TheApiAnswersOverHttpsWhenACertificateIsConfigured) {
  TempDir dir("tls");
  const auto key = dir.path() / "key.pem";
  const auto cert = dir.path() / "cert.pem";
  const std::string make =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
      " -keyout '" +
      key.string() + "' -out '" + cert.string() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(make.c_str()), 0) << "openssl could not make a test certificate";
  core::Config cfg = test_config(dir.path());
  cfg.service.tls_cert = cert;
  cfg.service.tls_key = key;
  service::ServeOptions opts;
  opts.intake_only = true;
  service::Service svc(cfg, opts);
  svc.start();

  Poco::Net::Context::Ptr client =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", cert.string(),
                             Poco::Net::Context::VERIFY_RELAXED);
  Poco::Net::HTTPSClientSession session("localhost", static_cast<uint16_t>(svc.port()), client);
  Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::ostringstream body;
  body << session.receiveResponse(response).rdbuf();
  EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
  EXPECT_EQ(body.str(), "ok\n");

  // Plain HTTP on the same port gets no answer.
  EXPECT_ANY_THROW(http(svc.port(), "GET", "/healthz"));
}

}  // namespace
}  // namespace carescan::testing
