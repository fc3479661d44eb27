using nanoFramework.TestFramework;
using Nanonet.Interop;

namespace NFUnitTest
{
    /// <summary>
    /// The shipped models on the golden inputs through the firmware's engine give exactly ../shared/golden/outputs.txt
    /// (the TFLM reference interpreter's int8 outputs), both with the smallest plan and with the firmware's own choice.
    /// </summary>
    [TestClass]
    public class GoldenTests
    {
        /// <summary>person_detect on the gray inputs.</summary>
        [TestMethod]
        public void PersonDetect()
        {
            Check(Resources.BinaryResources.person_detect, Resources.BinaryResources.tflm_no_person_gray96, 57, -57);
            Check(Resources.BinaryResources.person_detect, Resources.BinaryResources.tflm_person_gray96, -113, 113);
        }

        /// <summary>vww_96 on the RGB inputs.</summary>
        [TestMethod]
        public void Vww96()
        {
            Check(Resources.BinaryResources.vww_96, Resources.BinaryResources.tflm_no_person_rgb96, 98, -98);
            Check(Resources.BinaryResources.vww_96, Resources.BinaryResources.tflm_person_rgb96, -95, 95);
        }

        /// <summary>MobileNet v2 0.35 on the gray inputs.</summary>
        [TestMethod]
        public void MobileNetV2()
        {
            Check(Resources.BinaryResources.mobilenet_v2_035_96_gray, Resources.BinaryResources.tflm_no_person_gray96, 127, -128);
            Check(Resources.BinaryResources.mobilenet_v2_035_96_gray, Resources.BinaryResources.tflm_person_gray96, 127, -128);
        }

        private static void Check(Resources.BinaryResources model, Resources.BinaryResources inputId, int expected0, int expected1)
        {
            byte[] blob = Resources.GetBytes(model);
            Assert.AreEqual(0, Engine.LoadModel(blob), "LoadModel: " + Engine.LastErrorDetail());
            blob = null;
            byte[] raw = Resources.GetBytes(inputId);
            Assert.AreEqual(Engine.InputSize(), raw.Length, "input size");
            var input = new sbyte[raw.Length];
            for (int i = 0; i < raw.Length; i++)
            {
                input[i] = (sbyte)raw[i];
            }

            Assert.AreEqual(2, Engine.OutputSize(), "output size");
            int smallest = Engine.ArenaSize(0);
            Assert.IsTrue(smallest > 0, "ArenaSize(0): " + Engine.LastErrorDetail());
            int[] budgets = new int[] { smallest, 0 };
            for (int b = 0; b < budgets.Length; b++)
            {
                int arena = Engine.Plan(budgets[b]);
                Assert.IsTrue(arena > 0, "Plan(" + budgets[b].ToString() + "): " + Engine.LastErrorDetail());
                var output = new sbyte[2];
                Assert.AreEqual(0, Engine.Run(input, output), "Run: " + Engine.LastErrorDetail());
                Assert.AreEqual((sbyte)expected0, output[0], "output 0, budget " + budgets[b].ToString());
                Assert.AreEqual((sbyte)expected1, output[1], "output 1, budget " + budgets[b].ToString());
            }

            Engine.Unload();
        }
    }
}
