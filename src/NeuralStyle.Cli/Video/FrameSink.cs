using System.Diagnostics;
using NeuralStyle.Images;

namespace NeuralStyle.Cli.Video;

/// <summary>
/// Where painted frames go, in order: written to a hidden place beside the output and put in its place
/// by <see cref="Finish"/>, so that a run that fails or is stopped leaves no half-written output.
/// </summary>
internal abstract class FrameSink : IDisposable
{
    /// <summary>A video file (by its extension) through ffmpeg's pipe, else a folder of numbered PNGs.</summary>
    public static FrameSink Open(string output, bool toVideo, FrameSource source) =>
        toVideo ? new VideoSink(output, source) : new FolderSink(output);

    /// <summary>Takes the next frame.</summary>
    public abstract void Write(RgbImage frame);

    /// <summary>Puts the written frames in the output's place.</summary>
    /// <exception cref="StyleTransferException">The encoder failed.</exception>
    public abstract void Finish();

    /// <summary>Removes whatever was written unless <see cref="Finish"/> was called.</summary>
    public abstract void Dispose();

    private sealed class VideoSink : FrameSink
    {
        private readonly string output;
        private readonly string temporary;
        private readonly Process ffmpeg;
        private readonly Task<string> errors;
        private bool finished;

        public VideoSink(string output, FrameSource source)
        {
            (this.output, temporary) = (output, Ffmpeg.TemporaryBeside(output));
            ffmpeg = Ffmpeg.StartEncoding(source.Width, source.Height, source.FrameRate, source.Audio, temporary);
            errors = ffmpeg.StandardError.ReadToEndAsync();
        }

        public override void Write(RgbImage frame)
        {
            try
            {
                ffmpeg.StandardInput.BaseStream.Write(frame.Pixels);
            }
            catch (IOException)
            {
                throw Failed();
            }
        }

        public override void Finish()
        {
            try
            {
                ffmpeg.StandardInput.Close();
            }
            catch (IOException)
            {
                throw Failed();
            }

            ffmpeg.WaitForExit();
            if (ffmpeg.ExitCode != 0)
            {
                throw Failed();
            }

            File.Move(temporary, output, overwrite: true);
            finished = true;
        }

        public override void Dispose()
        {
            if (!finished)
            {
                if (!ffmpeg.HasExited)
                {
                    ffmpeg.Kill();
                }

                ffmpeg.WaitForExit();
                File.Delete(temporary);
            }

            ffmpeg.Dispose();
        }

        private StyleTransferException Failed()
        {
            ffmpeg.WaitForExit();
            return new StyleTransferException($"{output}: ffmpeg could not write the video ({Ffmpeg.FirstLine(errors.Result)})");
        }
    }

    private sealed class FolderSink(string output) : FrameSink
    {
        private readonly string temporary = Ffmpeg.TemporaryBeside(Path.TrimEndingDirectorySeparator(output));
        private int frames;

        public override void Write(RgbImage frame)
        {
            Directory.CreateDirectory(temporary);
            ImageFile.SaveAtomically(frame, Path.Combine(temporary, Ffmpeg.FrameName(++frames)));
        }

        public override void Finish()
        {
            Directory.CreateDirectory(output);
            for (var k = 1; k <= frames; k++)
            {
                File.Move(Path.Combine(temporary, Ffmpeg.FrameName(k)), Path.Combine(output, Ffmpeg.FrameName(k)), overwrite: true);
            }

            Dispose();
        }

        // Finished, it holds nothing; stopped, its frames are not an output.
        public override void Dispose()
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }
}
