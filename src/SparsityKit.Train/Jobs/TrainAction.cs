using SparsityKit.Train.CommandLine;

namespace SparsityKit.Train.Jobs;

/// <summary>Runs a parsed training request: the job its kind names.</summary>
internal static class TrainAction
{
    public static int Run(TrainRequest request, ProgressStyle style) => request.Kind switch
    {
        TrainKind.ListModels => ZooModelJob.List(),
        TrainKind.ListMethods => MethodJob.List(),
        TrainKind.Method => MethodJob.Run(request, style),
        TrainKind.ZooModel => ZooModelJob.Run(request, style),
        _ => LeNetJob.Run(request, style),
    };
}
