using SparsityKit.Models;
using SparsityKit.Training;
using static TorchSharp.torch;

namespace SparsityKit.Tests.Reliability;

/// <summary>
/// TorchSharp passes a Scalar's or tensor's native handle to libtorch without keeping the managed object alive, so an
/// implicit <c>Scalar</c> (<c>x.div(2.0)</c>) or a temporary outside any dispose scope can be finalized on the finalizer
/// thread while libtorch still reads it, when a garbage collection happens mid-call ("Unknown scalar type", a long L0 run
/// died of it). These tests run the per-step code of the methods while another thread collects without pause: any
/// such temporary fails them within a few thousand calls.
/// </summary>
public class FinalizerRaceTests
{
    private const int Calls = 50_000;

    [Fact]
    public void Hard_concrete_gates_keep_their_scalars_alive()
    {
        var gate = HardConcrete.Louizos;
        using var logAlpha = randn(64, generator: new Generator(1));
        UnderCollection(() =>
        {
            using var scope = NewDisposeScope();
            gate.Sample(logAlpha);
            gate.Deterministic(logAlpha);
            gate.ProbabilityNonZero(logAlpha);
        });
    }

    [Fact]
    public void Variational_dropout_and_l0_layers_keep_their_scalars_alive()
    {
        var vd = new VariationalDropoutLinear(8, 8, new VariationalDropoutLayers());
        var l0 = new L0Linear(8, 8, new L0Layers());
        using var x = randn(4, 8, generator: new Generator(2));
        UnderCollection(() =>
        {
            using var scope = NewDisposeScope();
            vd.train();
            vd.call(x);
            vd.Kl();
            vd.eval();
            vd.call(x);
            l0.train();
            l0.call(x);
            l0.ExpectedL0();
            l0.eval();
            l0.call(x);
        });
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void Optimizer_steps_keep_their_scalars_alive(string kind)
    {
        var model = nn.Sequential(("fc", nn.Linear(8, 8)));
        OptimizerSettings settings = kind == "sgd" ? new Sgd(0.01, Momentum: 0.9, Nesterov: true, WeightDecay: 1e-4) : new Adam(1e-3, WeightDecay: 1e-4);
        var optimizer = settings.Create(model.named_parameters().Select(p => (p.name, p.parameter)).ToList());
        using (no_grad())
            foreach (var p in model.parameters()) p.grad = ones_like(p);
        UnderCollection(optimizer.Step);
    }

    [Fact]
    public void The_kept_alive_forms_give_torchsharps_values_bit_for_bit()
    {
        Assert.NotNull(Scalars.SoftplusWithScalars);   // TorchSharp's private Scalar overload was found, not the fallback
        using var x = randn(1000, generator: new Generator(3)).mul(30);   // on both sides of softplus's threshold of 20
        using var softplus = Scalars.Softplus(x);
        using var expected = nn.functional.softplus(x);
        Assert.True(softplus.eq(expected).all().item<bool>());
        using var square = Scalars.Square(x);
        using var expectedSquare = x.square();
        Assert.True(square.eq(expectedSquare).all().item<bool>());
    }

    // Runs the action repeatedly while a second thread forces garbage collections and runs finalizers.
    private static void UnderCollection(Action action, int calls = Calls)
    {
        bool stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            for (int i = 0; i < calls; i++) action();
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
        }
    }
}
