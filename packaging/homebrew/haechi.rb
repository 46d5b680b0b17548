# Homebrew formula for the haechi standalone binary (built by `deno task compile:all`).
#
# The release workflow (.github/workflows/release.yml) renders this file with the release's
# version and the SHA-256 of each archive in place of the placeholders, then publishes it
# to the tap; this copy is the template it starts from.
class Haechi < Formula
  desc "Privacy gateway that keeps secrets and personal data out of LLM and MCP traffic"
  homepage "https://github.com/haechi/haechi"
  version "1.4.0"
  license "Apache-2.0"

  on_macos do
    on_arm do
      url "https://github.com/haechi/haechi/releases/download/v#{version}/haechi-macos-arm64.tar.gz"
      sha256 "@SHA256_MACOS_ARM64@"
    end
    on_intel do
      url "https://github.com/haechi/haechi/releases/download/v#{version}/haechi-macos-x64.tar.gz"
      sha256 "@SHA256_MACOS_X64@"
    end
  end

  on_linux do
    on_arm do
      url "https://github.com/haechi/haechi/releases/download/v#{version}/haechi-linux-arm64.tar.gz"
      sha256 "@SHA256_LINUX_ARM64@"
    end
    on_intel do
      url "https://github.com/haechi/haechi/releases/download/v#{version}/haechi-linux-x64.tar.gz"
      sha256 "@SHA256_LINUX_X64@"
    end
  end

  def install
    bin.install Dir["haechi-*"].first => "haechi"
  end

  service do
    run [opt_bin/"haechi", "proxy", "--config", etc/"haechi/haechi.config.json"]
    working_dir var/"haechi"
    keep_alive true
    log_path var/"log/haechi.log"
    error_log_path var/"log/haechi.log"
  end

  def post_install
    (var/"haechi").mkpath
    (etc/"haechi").mkpath
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/haechi --version")
    system bin/"haechi", "init", "--config", testpath/"haechi.config.json"
    assert_path_exists testpath/".haechi/keys.json"
    output = pipe_output("#{bin}/haechi protect --config #{testpath}/haechi.config.json -",
                         '{"q":"mail jane@example.org"}')
    refute_match "jane@example.org", output
  end
end
