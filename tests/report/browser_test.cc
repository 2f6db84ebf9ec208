// The HTML report in a real browser: headless Chromium (Debian's chromium
// package) loads the report of a hostile post, its DOM has the charts and no
// script element, and its screenshot shows the charts' colours and nothing
// past the page's margin (long words wrapped, layout not flipped).
#include <zlib.h>

#include <array>
#include <cstdint>

#include <gtest/gtest.h>

#include "lockstep/report/report.h"
#include "report/report_fixture.h"

namespace lockstep {
namespace {

using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;

constexpr const char* kChromium = "/usr/bin/chromium";

// An 8-bit RGB or RGBA, non-interlaced PNG decoded to RGB; what Chromium's
// screenshots are. Returns false on anything else.
struct Image {
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> rgb;
  std::array<uint8_t, 3> At(uint32_t x, uint32_t y) const {
    const size_t i = (static_cast<size_t>(y) * width + x) * 3;
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
  }
};

uint32_t Be32(const std::string& s, size_t i) {
  return (uint32_t{static_cast<uint8_t>(s[i])} << 24) | (uint32_t{static_cast<uint8_t>(s[i + 1])} << 16) |
         (uint32_t{static_cast<uint8_t>(s[i + 2])} << 8) | uint32_t{static_cast<uint8_t>(s[i + 3])};
}

bool DecodePng(const std::string& png, Image* image) {
  if (png.size() < 8 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return false;
  std::string idat;
  int colour = -1, depth = 0, interlace = 0;
  for (size_t pos = 8; pos + 8 <= png.size();) {
    const uint32_t length = Be32(png, pos);
    const std::string type = png.substr(pos + 4, 4);
    if (pos + 12 + length > png.size()) return false;
    if (type == "IHDR") {
      image->width = Be32(png, pos + 8);
      image->height = Be32(png, pos + 12);
      depth = static_cast<uint8_t>(png[pos + 16]);
      colour = static_cast<uint8_t>(png[pos + 17]);
      interlace = static_cast<uint8_t>(png[pos + 20]);
    } else if (type == "IDAT") {
      idat.append(png, pos + 8, length);
    }
    pos += 12 + length;
  }
  if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0) return false;
  const size_t channels = colour == 6 ? 4 : 3, stride = image->width * channels;
  std::vector<uint8_t> raw((stride + 1) * image->height);
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK) return false;
  std::vector<uint8_t> cur(stride), prev(stride, 0);
  image->rgb.resize(static_cast<size_t>(image->width) * image->height * 3);
  for (uint32_t y = 0; y < image->height; ++y) {
    const uint8_t filter = raw[y * (stride + 1)];
    const uint8_t* line = &raw[y * (stride + 1) + 1];
    for (size_t i = 0; i < stride; ++i) {
      const int a = i >= channels ? cur[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
      int predictor = 0;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) / 2; break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: return false;
      }
      cur[i] = static_cast<uint8_t>(line[i] + predictor);
    }
    for (uint32_t x = 0; x < image->width; ++x)
      for (int k = 0; k < 3; ++k) image->rgb[(static_cast<size_t>(y) * image->width + x) * 3 + k] = cur[x * channels + k];
    std::swap(cur, prev);
  }
  return true;
}

std::string Chromium(const TempDir& profile, const std::string& args) {
  return std::string(kChromium) +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
         "--disable-component-update --disable-sync --hide-scrollbars --user-data-dir=" +
         profile.path() + " " + args;
}

class BrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kChromium))
      GTEST_SKIP() << kChromium << " is absent; install Debian's chromium package (apt-get install chromium) to run "
                   << "the browser checks of the HTML report";
    testing::WriteReportDataset(data_.path(), testing::HostileText());
    ds_ = testing::LoadReportDataset(data_.path());
    ReportOptions options;
    options.data_label = "hostile test set";
    ASSERT_TRUE(WriteReport(BuildReport(ds_, testing::HandMadeDetection(ds_), options), out_.path()).ok()) << "report";
    // Kept for a human to look at with LOCKSTEP_KEEP_SCREENSHOT=path.
  }
  TempDir data_, out_, profile_;
  Dataset ds_;
};

TEST_F(BrowserTest, DomHasChartsAndNoScript) {
  auto r = RunCommand(Chromium(profile_, "--dump-dom file://" + out_ / "report.html"));
  ASSERT_EQ(r.exit_code, 0) << r.output.substr(0, 2000);
  const std::string& dom = r.output;
  size_t svgs = 0;
  for (size_t p = dom.find("<svg"); p != std::string::npos; p = dom.find("<svg", p + 1)) ++svgs;
  EXPECT_GE(svgs, 8u) << "presence, ads, months, years, heatmap, three content charts and the graph";
  EXPECT_EQ(dom.find("<script"), std::string::npos) << "the hostile post did not become a script element";
  EXPECT_EQ(dom.find("<img"), std::string::npos) << "nor an image with an onerror handler";
  EXPECT_NE(dom.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << "it is shown as text";
  EXPECT_NE(dom.find("<circle class=\"node\""), std::string::npos) << "the network drawing has nodes";
}

TEST_F(BrowserTest, ScreenshotShowsChartsWithinTheMargins) {
  const std::string shot = out_ / "report.png";
  auto r = RunCommand(Chromium(profile_, "--screenshot=" + shot + " --window-size=1280,4000 file://" +
                                             out_ / "report.html"));
  ASSERT_EQ(r.exit_code, 0) << r.output.substr(0, 2000);
  if (const char* keep = std::getenv("LOCKSTEP_KEEP_SCREENSHOT")) std::filesystem::copy_file(
      shot, keep, std::filesystem::copy_options::overwrite_existing);
  Image image;
  ASSERT_TRUE(DecodePng(ReadFile(shot), &image)) << "Chromium writes an 8-bit RGB(A) PNG";
  ASSERT_EQ(image.width, 1280u) << "the window width";
  // Chart bars are #3b6ea8; heatmap cells range to #12355b. Count bar-coloured pixels.
  size_t bar_pixels = 0, dark_cells = 0;
  for (uint32_t y = 0; y < image.height; ++y)
    for (uint32_t x = 0; x < image.width; ++x) {
      const auto p = image.At(x, y);
      bar_pixels += std::abs(p[0] - 0x3b) < 6 && std::abs(p[1] - 0x6e) < 6 && std::abs(p[2] - 0xa8) < 6;
      dark_cells += std::abs(p[0] - 0x12) < 8 && std::abs(p[1] - 0x35) < 8 && std::abs(p[2] - 0x5b) < 8;
    }
  EXPECT_GT(bar_pixels, 5000u) << "the bar charts were drawn";
  EXPECT_GT(dark_cells, 300u) << "the heatmap's busiest cell was drawn";
  // main is at most 1200 px wide and centred: the outer 24 px on each side stay white unless a long word,
  // a table or a right-to-left override pushed the layout out.
  size_t outside = 0;
  for (uint32_t y = 0; y < image.height; ++y)
    for (uint32_t x : {0u, 10u, 20u, 1259u, 1269u, 1279u}) {
      const auto p = image.At(x, y);
      outside += p[0] < 240 || p[1] < 240 || p[2] < 240;
    }
  EXPECT_EQ(outside, 0u) << "nothing is drawn in the page margins (the 10,000-character word wrapped)";
}

}  // namespace
}  // namespace lockstep
